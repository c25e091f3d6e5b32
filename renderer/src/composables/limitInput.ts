import { formatBytes, nameFromUid, parseBytes, uidFromName } from '../../../contract/domains/units.js';

export const UNITS = ['B', 'KB', 'MB', 'GB'] as const;
export type Unit = (typeof UNITS)[number];
/** The units are binary (K = 1024), as the device programs read them: say so where people pick one. */
export const UNIT_LABELS: Record<Unit, string> = { B: 'B', KB: 'KiB', MB: 'MiB', GB: 'GiB' };

export interface LimitDraft {
  user: string;
  amount: string;
  unit: Unit;
  grace: string;
}

export interface ValidLimit {
  uid: number;
  user: string;
  bytes: number;
  grace: number;
}

export type LimitErrors = Partial<Record<'user' | 'amount' | 'grace', string>>;

/**
 * Checks a limit as typed, before anything is sent, with the same helpers the backend uses.
 * The amount may carry its own unit ("100M"); otherwise the chosen unit applies (K = 1024, as on the device).
 */
export function validateLimit(draft: LimitDraft, options: { existingUids?: number[]; editingUid?: number } = {}): { ok: true; value: ValidLimit } | { ok: false; errors: LimitErrors } {
  const errors: LimitErrors = {};
  const user = draft.user.trim();
  let uid: number | undefined;
  if (!user) errors.user = 'Enter a user name (u0_a70) or a uid (10070).';
  else {
    uid = uidFromName(user);
    if (uid === undefined) errors.user = `"${user}" is not a known user: use uN_aM (u0_a70), a system name (system, shell) or a decimal uid.`;
    else if (uid === 0) errors.user = 'root (uid 0) cannot be limited: the kernel module refuses it.';
    else if (uid > 2 ** 32 - 2) errors.user = 'uid out of range.';
    else if (options.existingUids?.includes(uid) && uid !== options.editingUid) errors.user = `${nameFromUid(uid)} (uid ${uid}) already has a limit: edit that row instead.`;
  }

  let bytes: number | undefined;
  const amount = draft.amount.trim();
  if (!amount) errors.amount = 'Enter a limit.';
  else {
    const text = /[a-zA-Z]/.test(amount) ? amount : `${amount}${draft.unit === 'B' ? '' : draft.unit}`;
    const parsed = parseBytes(text);
    if ('error' in parsed) errors.amount = capitalise(parsed.error) + '.';
    else if (parsed.bytes < 4096) errors.amount = `${parsed.bytes} B is less than one page (4096 B): every process would be killed.`;
    else bytes = parsed.bytes;
  }

  let grace: number | undefined;
  const graceText = draft.grace.trim() === '' ? '0' : draft.grace.trim();
  if (!/^\d+$/.test(graceText)) errors.grace = 'Grace is a whole number of seconds (0 = kill at the next check).';
  else if (Number(graceText) > 86_400) errors.grace = 'Grace is at most 86400 s (one day).';
  else grace = Number(graceText);

  if (Object.keys(errors).length > 0 || uid === undefined || bytes === undefined || grace === undefined) return { ok: false, errors };
  return { ok: true, value: { uid, user: nameFromUid(uid), bytes, grace } };
}

/** Turns bytes back into the editor's fields, choosing the unit that shows it exactly. */
export function draftFromBytes(user: string, bytes: number, grace: number): LimitDraft {
  for (const [unit, factor] of [['GB', 1024 ** 3], ['MB', 1024 ** 2], ['KB', 1024]] as const) {
    if (bytes % factor === 0) return { user, amount: String(bytes / factor), unit, grace: String(grace) };
  }
  return { user, amount: String(bytes), unit: 'B', grace: String(grace) };
}

export function describeBytes(bytes: number): string {
  return `${formatBytes(bytes)} (${bytes.toLocaleString('en-US')} B)`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
