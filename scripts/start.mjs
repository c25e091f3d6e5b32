#!/usr/bin/env node
// `npm start`: build, then open the Electron app. Where Electron's binary cannot be fetched, say so and
// point at serve mode, which runs the same app in any browser.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const run = (command, args) => spawnSync(command, args, { stdio: 'inherit', shell: process.platform === 'win32' }).status ?? 1;

function electronBinary() {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const name = process.platform === 'win32' ? 'electron.exe' : process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron';
    return existsSync(join(override, name)) ? join(override, name) : undefined;
  }
  const pathFile = join('node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join('node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

if (run('npx', ['electron-vite', 'build']) !== 0) process.exit(1);

let binary = electronBinary();
if (!binary) {
  console.log('Fetching the Electron binary (first start only)...');
  const install = spawnSync(process.execPath, [join('node_modules', 'electron', 'install.js')], { encoding: 'utf8' });
  binary = electronBinary();
  if (!binary) {
    const reason = `${install.stderr ?? ''}${install.stdout ?? ''}`.split('\n').find((line) => /error|fail/i.test(line));
    if (reason) console.error(`Electron's download failed: ${reason.trim()}`);
  }
}
if (!binary) {
  console.error(
    [
      '',
      'The Electron binary is not installed and could not be downloaded on this machine.',
      'Use the same app in a browser instead:',
      '',
      '    npm run serve            # prints http://127.0.0.1:PORT/?token=...',
      '    npm run sim              # (in another terminal) boots a simulated goldfish device',
      '',
      'Or install Electron where downloads work and set ELECTRON_OVERRIDE_DIST_PATH to its folder.',
    ].join('\n'),
  );
  process.exit(1);
}
process.exit(run(binary, ['.']));
