import { formatBytes, nameFromUid, parseBytes, uidFromName } from '../../../contract/domains/units.js';
import { apiError, type ApiError } from '../common/errors.js';

export interface LimitInput {
  user: string | number;
  mmMax: string | number;
  grace: number;
}

export interface ValidLimit {
  uid: number;
  user: string;
  mmMax: number;
  grace: number;
}

export interface ValidationContext {
  /** Device RAM in KiB, when known: a limit above it is refused. */
  ramKb?: number;
  /** name → uid from the device's /etc/passwd, for names Android's rules do not cover. */
  passwd?: Map<string, number>;
}

/** /etc/passwd text → name → uid. */
export function parsePasswd(text: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [name, , uid] = line.split(':');
    if (name && uid && /^\d+$/.test(uid)) map.set(name, Number(uid));
  }
  return map;
}

/** Checks one limit the way the device would, and more strictly; returns a ready row or an ApiError that says what to fix. */
export function validateLimit(input: LimitInput, context: ValidationContext = {}): ValidLimit | ApiError {
  let uid: number | undefined;
  let user: string;
  if (typeof input.user === 'number') {
    uid = input.user;
    user = nameFromUid(uid);
  } else {
    user = input.user.trim();
    uid = uidFromName(user) ?? context.passwd?.get(user);
  }
  if (uid === undefined) {
    return apiError('unknown-user', `Unknown user "${user}"`, 'Use an Android user name (u0_a70, system, shell), a name from the device\'s /etc/passwd, or a decimal uid.');
  }
  if (!Number.isInteger(uid) || uid < 0 || uid > 0x7fffffff) return apiError('invalid-uid', `${uid} is not a valid uid`, 'A uid is a whole number from 1 to 2147483647.');
  if (uid === 0) return apiError('root-refused', 'uid 0 (root) cannot be limited', 'The module refuses root (-EPERM): its processes are never killed. Pick an app or user uid.');
  const parsed = parseBytes(input.mmMax);
  if ('error' in parsed) return apiError('invalid-size', `mm_max: ${parsed.error}`, 'Write the limit in bytes or with a unit, e.g. 100M or 1.5G.');
  if (context.ramKb !== undefined && parsed.bytes > context.ramKb * 1024) {
    return apiError('limit-above-ram', `mm_max ${formatBytes(parsed.bytes)} is larger than the device's RAM (${formatBytes(context.ramKb * 1024)})`, 'A limit above physical memory can never be reached: pick a smaller one.');
  }
  if (!Number.isInteger(input.grace) || input.grace < 0) return apiError('invalid-grace', `time_allow_exceed ${input.grace} is not a whole number of seconds ≥ 0`, 'Use 0 for no grace period.');
  return { uid, user: typeof input.user === 'number' ? user : user, mmMax: parsed.bytes, grace: input.grace };
}

/** /proc/mm_limits (and `mmlimit list`): `uid=10070,mm_max=100000000,time_allow_exceed=20` per line. */
export function parseMmLimits(text: string): Array<{ uid: number; mmMax: number; grace: number }> {
  const limits: Array<{ uid: number; mmMax: number; grace: number }> = [];
  for (const line of text.split('\n')) {
    const m = /^\s*uid=(\d+),\s*mm_max=(\d+)(?:,\s*(?:time_allow_exceed|time_stamp)=(\d+))?\s*$/.exec(line);
    if (m) limits.push({ uid: Number(m[1]), mmMax: Number(m[2]), grace: Number(m[3] ?? 0) });
  }
  return limits;
}
