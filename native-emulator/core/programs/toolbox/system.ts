import { FsError } from '../../device-api.js';
import { instant, sys, type ProgramMain, type Process } from '../../kernel/process.js';
import { UTS_MACHINE, UTS_NODENAME, UTS_RELEASE, UTS_VERSION } from '../../kernel/version.js';
import { concatBytes, latin1Decode, latin1Encode } from '../../util/bytes.js';
import { dateString } from '../../util/civil-time.js';
import { EPERM, strerror } from '../../util/errno.js';
import { errText } from '../lib.js';

export const getprop: ProgramMain = instant((p) => {
  const props = p.kernel.properties;
  if (p.argv.length === 1) {
    const keys = [...props.keys()].sort();
    p.out(keys.map((k) => `[${k}]: [${props.get(k)}]\n`).join(''));
    return 0;
  }
  p.out(`${props.get(p.argv[1]!) ?? p.argv[2] ?? ''}\n`);
  return 0;
});

export const setprop: ProgramMain = instant((p) => {
  if (p.argv.length !== 3) {
    p.writeErr('usage: setprop <key> <value>\n');
    return 1;
  }
  const [, key, value] = p.argv as [string, string, string];
  const props = p.kernel.properties;
  if ((key.startsWith('ro.') && props.has(key)) || key.length >= 32 || value.length >= 92 || (p.cred.uid !== 0 && p.cred.uid !== 1000)) {
    p.writeErr('could not set property\n');
    return 1;
  }
  props.set(key, value);
  if (key.startsWith('persist.')) {
    try {
      p.kernel.vfs.writeFile(`/data/property/${key}`, [latin1Encode(value)], 0o600, { uid: 0, gid: 0 });
    } catch {
      /* /data/property missing: the property still holds until reboot */
    }
  }
  return 0;
});

export const dmesg: ProgramMain = instant((p) => {
  const clear = p.argv.includes('-c');
  if (clear && p.cred.uid !== 0) {
    p.writeErr(`klogctl: ${strerror(EPERM)}\n`);
    return 1;
  }
  p.write(1, p.kernel.printk.readAll());
  if (clear) p.kernel.printk.clear();
  return 0;
});

export const insmod: ProgramMain = instant((p) => {
  const file = p.argv[1];
  if (!file) {
    p.writeErr('usage: insmod <module.o>\n');
    return 255;
  }
  let image: Uint8Array;
  try {
    image = p.kernel.vfs.readFile(file, p.cwd, p.cred);
  } catch {
    p.writeErr(`insmod: can't open '${file}'\n`);
    return 255;
  }
  const ret = p.kernel.modules.load(image, p.argv.slice(2).join(' '), p.cred);
  if (ret < 0) {
    p.writeErr(`insmod: init_module '${file}' failed (${strerror(-ret)})\n`);
    return 255;
  }
  return 0;
});

export const rmmod: ProgramMain = instant((p) => {
  const arg = p.argv[1];
  if (!arg) {
    p.writeErr('usage: rmmod <module>\n');
    return 255;
  }
  const name = arg.replace(/\.ko$/, '').slice(arg.lastIndexOf('/') + 1).replace(/-/g, '_');
  const ret = p.kernel.modules.unload(name, p.cred);
  if (ret < 0) {
    p.writeErr(`rmmod: delete_module '${name}' failed (errno ${-ret})\n`);
    return 255;
  }
  return 0;
});

export const lsmod: ProgramMain = instant((p) => {
  const lines = ['Module                  Size  Used by'];
  for (const m of p.kernel.modules.list()) {
    lines.push(`${m.name.padEnd(19)} ${String(m.size).padStart(8)} ${String(m.users.length).padStart(2)} ${m.users.join(',')}`.trimEnd());
  }
  p.out(`${lines.join('\n')}\n`);
  return 0;
});

export const reboot: ProgramMain = instant((p) => {
  if (p.cred.uid !== 0) {
    p.writeErr(`reboot: ${strerror(EPERM)}\n`);
    return 255;
  }
  const mode = p.argv.slice(1).find((a) => !a.startsWith('-'));
  p.kernel.timers.schedule(0, () => p.kernel.onReboot?.(mode));
  return 0;
});

export const uname: ProgramMain = instant((p) => {
  const flags = p.argv.slice(1).join('').replace(/-/g, '');
  const fields: string[] = [];
  const all = flags.includes('a');
  if (all || flags.includes('s') || flags === '') fields.push('Linux');
  if (all || flags.includes('n')) fields.push(UTS_NODENAME);
  if (all || flags.includes('r')) fields.push(UTS_RELEASE);
  if (all || flags.includes('v')) fields.push(UTS_VERSION);
  if (all || flags.includes('m')) fields.push(UTS_MACHINE);
  p.out(`${fields.join(' ')}\n`);
  return 0;
});

export const date: ProgramMain = instant((p) => {
  p.out(`${dateString(p.kernel.wallSeconds())}\n`);
  return 0;
});

export const printenv: ProgramMain = instant((p) => {
  const env = p.task.env;
  if (p.argv[1]) {
    const v = env.get(p.argv[1]);
    if (v === undefined) return 1;
    p.out(`${v}\n`);
    return 0;
  }
  p.out([...env].map(([k, v]) => `${k}=${v}\n`).join(''));
  return 0;
});

export const grep: ProgramMain = function* (p) {
  const args = p.argv.slice(1);
  const flags = new Set<string>();
  while (args[0]?.startsWith('-') && args[0].length > 1) for (const c of args.shift()!.slice(1)) flags.add(c);
  const pattern = args.shift();
  if (pattern === undefined) {
    p.writeErr('usage: grep [-ivcnE] PATTERN [FILE...]\n');
    return 2;
  }
  let re: RegExp;
  try {
    re = new RegExp(flags.has('F') ? pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : pattern.replace(/\\([(){}|+?])/g, '$1'), flags.has('i') ? 'i' : '');
  } catch {
    p.writeErr(`grep: bad regex '${pattern}'\n`);
    return 2;
  }
  let matched = 0;
  let status = 1;
  const files = args.length ? args : ['-'];
  for (const file of files) {
    let text: string;
    if (file === '-') text = latin1Decode(yield* readAllFd(p, 0));
    else {
      try {
        text = latin1Decode(p.kernel.vfs.readFile(file, p.cwd, p.cred));
      } catch (e) {
        if (!(e instanceof FsError)) throw e;
        p.writeErr(`grep: ${file}: ${errText(e)}\n`);
        status = 2;
        continue;
      }
    }
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    lines.forEach((line, i) => {
      if (re.test(line) === flags.has('v')) return;
      matched++;
      if (flags.has('c') || flags.has('q')) return;
      const prefix = files.length > 1 ? `${file}:` : '';
      p.out(`${prefix}${flags.has('n') ? `${i + 1}:` : ''}${line}\n`);
    });
  }
  if (flags.has('c')) p.out(`${matched}\n`);
  return matched > 0 ? 0 : status;
};

function* readAllFd(p: Process, fd: number) {
  const parts: Uint8Array[] = [];
  for (;;) {
    const d = yield* sys.read(fd);
    if (d === null) break;
    parts.push(d);
  }
  return concatBytes(parts);
}

/** head/tail -n N [FILE]: not in 4.4's toolbox, but every script reaches for them. */
const lineFilter = (name: string, pick: (lines: string[], n: number) => string[]): ProgramMain =>
  function* (p) {
    const args = p.argv.slice(1);
    let n = 10;
    const nArg = args.findIndex((a) => a === '-n' || /^-\d+$/.test(a));
    if (nArg >= 0) {
      n = Number(args[nArg] === '-n' ? args[nArg + 1] : args[nArg]!.slice(1));
      args.splice(nArg, args[nArg] === '-n' ? 2 : 1);
    }
    let text: string;
    if (args[0]) {
      try {
        text = latin1Decode(p.kernel.vfs.readFile(args[0], p.cwd, p.cred));
      } catch (e) {
        p.writeErr(`${name}: ${args[0]}: ${errText(e)}\n`);
        return 1;
      }
    } else text = latin1Decode(yield* readAllFd(p, 0));
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const out = pick(lines, n);
    if (out.length) p.out(`${out.join('\n')}\n`);
    return 0;
  };

export const head = lineFilter('head', (lines, n) => lines.slice(0, n));
export const tail = lineFilter('tail', (lines, n) => (n === 0 ? [] : lines.slice(-n)));
