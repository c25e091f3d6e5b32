#!/usr/bin/env node
// `npm run dist -- [electron-builder args]`: build, stage payloads and adb, then package with electron-builder.
// Electron's zip comes from electron-builder's cache or a download; where neither works, say so before packaging.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createRequire } from 'node:module';
import { lookup } from 'node:dns/promises';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const run = (command, commandArgs) => spawnSync(command, commandArgs, { stdio: 'inherit' }).status ?? 1;

function electronZipAvailable(version) {
  const electronDist = process.env.ELECTRON_DIST ?? args.find((arg) => arg.startsWith('--config.electronDist='))?.split('=')[1];
  if (electronDist) return existsSync(electronDist) ? `electronDist ${electronDist}` : undefined;
  const cacheDir = process.env.ELECTRON_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'electron');
  const cached = existsSync(cacheDir) && readdirSync(cacheDir, { recursive: true }).some((name) => String(name).includes(`electron-v${version}-`));
  return cached ? `cache ${cacheDir}` : undefined;
}

function findAdb() {
  const sdk = process.env.ANDROID_HOME ?? process.env.ANDROID_SDK_ROOT;
  const candidates = [sdk && join(sdk, 'platform-tools', 'adb'), ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'adb'))];
  return candidates.find((path) => path && existsSync(path));
}

/** electron-builder downloads Electron's zip from GitHub releases: find out now, not after a minute of packaging. */
async function canResolveGitHub() {
  const timeout = new Promise((resolve) => setTimeout(() => resolve(false), 3000));
  return Promise.race([lookup('github.com').then(() => true, () => false), timeout]);
}

const version = require('electron/package.json').version;
const source = electronZipAvailable(version);
if (!source && !(await canResolveGitHub())) {
  console.error(
    [
      `dist: Electron ${version}'s zip is neither cached nor given, and github.com (where electron-builder downloads it) cannot be reached.`,
      'Point at a local unpacked Electron:  ELECTRON_DIST=/path/to/electron-dist npm run dist -- --linux dir',
      `(or put electron-v${version}-<platform>-<arch>.zip in ~/.cache/electron/).`,
    ].join('\n'),
  );
  process.exit(2);
}

if (run('npx', ['electron-vite', 'build']) !== 0) process.exit(1);

rmSync('build/payload', { recursive: true, force: true });
rmSync('build/adb', { recursive: true, force: true });
mkdirSync('build/adb', { recursive: true });
for (const target of ['sim', 'goldfish-arm', 'host']) {
  if (run('npx', ['tsx', 'scripts/payload/index.ts', '--target', target, '--out', `build/payload/${target}`]) !== 0) {
    console.warn(`dist: the ${target} payload was not built (see above); the app will offer only what is bundled.`);
  }
}
const adb = findAdb();
if (adb) {
  copyFileSync(adb, join('build/adb', 'adb'));
  writeFileSync(join('build/adb', 'SOURCE.txt'), `Copied from ${adb} at package time. adb is part of the Android Open Source Project, Apache License 2.0.\n`);
} else {
  writeFileSync(join('build/adb', 'SOURCE.txt'), 'No adb was found at package time; the app looks for one on the user system.\n');
}

const builderArgs = [...args];
if (process.env.ELECTRON_DIST) builderArgs.push(`--config.electronDist=${process.env.ELECTRON_DIST}`);
process.exit(run('npx', ['electron-builder', ...builderArgs]));
