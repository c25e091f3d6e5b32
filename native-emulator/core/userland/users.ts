/** Android's fixed AIDs (system/core/include/private/android_filesystem_config.h) and app uid naming. */
const AIDS: readonly [string, number][] = [
  ['root', 0], ['system', 1000], ['radio', 1001], ['bluetooth', 1002], ['graphics', 1003], ['input', 1004],
  ['audio', 1005], ['camera', 1006], ['log', 1007], ['compass', 1008], ['mount', 1009], ['wifi', 1010],
  ['adb', 1011], ['install', 1012], ['media', 1013], ['dhcp', 1014], ['sdcard_rw', 1015], ['vpn', 1016],
  ['keystore', 1017], ['usb', 1018], ['drm', 1019], ['mdnsr', 1020], ['gps', 1021], ['media_rw', 1023],
  ['mtp', 1024], ['drmrpc', 1026], ['nfc', 1027], ['sdcard_r', 1028], ['shell', 2000], ['cache', 2001],
  ['diag', 2002], ['net_bt_admin', 3001], ['net_bt', 3002], ['inet', 3003], ['net_raw', 3004],
  ['net_admin', 3005], ['net_bw_stats', 3006], ['net_bw_acct', 3007], ['misc', 9998], ['nobody', 9999],
];

const BY_NAME = new Map(AIDS);
const BY_UID = new Map(AIDS.map(([n, u]) => [u, n]));

export const AID_ROOT = 0;
export const AID_SYSTEM = 1000;
export const AID_SHELL = 2000;
export const AID_APP = 10000;
export const AID_USER = 100000;

/** uid from a name (root, shell, u0_a70), a decimal uid, or an /etc/passwd entry; undefined when unknown. */
export function resolveUser(name: string, passwd?: string): number | undefined {
  if (/^\d+$/.test(name)) return Number(name);
  const aid = BY_NAME.get(name);
  if (aid !== undefined) return aid;
  const app = /^u(\d+)_a(\d+)$/.exec(name);
  if (app) return Number(app[1]) * AID_USER + AID_APP + Number(app[2]);
  const isolated = /^u(\d+)_i(\d+)$/.exec(name);
  if (isolated) return Number(isolated[1]) * AID_USER + 99000 + Number(isolated[2]);
  for (const line of passwd?.split('\n') ?? []) {
    const f = line.split(':');
    if (f[0] === name && f[2] !== undefined && /^\d+$/.test(f[2])) return Number(f[2]);
  }
  return undefined;
}

/** The name bionic's getpwuid() gives a uid. */
export function userName(uid: number): string {
  const appId = uid % AID_USER;
  const user = Math.floor(uid / AID_USER);
  const aid = BY_UID.get(appId);
  if (aid !== undefined) return user === 0 ? aid : `u${user}_${aid}`;
  if (appId >= 99000 && appId < 100000) return `u${user}_i${appId - 99000}`;
  if (appId >= AID_APP) return `u${user}_a${appId - AID_APP}`;
  return String(uid);
}
