import { readFileSync } from 'node:fs';
import type { AppInfo } from '../../contract/domains/app.js';

function readPackageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export class AppInfoService {
  private readonly version = readPackageVersion();

  constructor(private readonly mode: AppInfo['mode']) {}

  info(): AppInfo {
    return {
      name: 'Goldfish OOM Manager',
      version: this.version,
      mode: this.mode,
      platform: `${process.platform}-${process.arch}`,
      node: process.versions.node,
    };
  }
}
