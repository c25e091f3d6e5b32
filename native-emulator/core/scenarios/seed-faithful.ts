/**
 * The checks of the built-in suites that a device with the seed's OOM defects (oomMode 'seed-faithful') fails,
 * and why. Every runner's test (simulator, backend over adb, UI) holds the device to exactly these.
 */
export const SEED_FAITHFUL_FAILURES = {
  seed: [
    // grace counted from the set: no "grace period started" line
    'grace.dmesg-1',
    'grace.dmesg-2',
    // no escalation: the SIGTERM-ignoring victim lives, reported at every check
    'escalate.escalated-e1.0',
    'escalate.kills',
  ],
  'seed-defects': [
    'grace-from-breach.survived-g1.0',
    'grace-from-breach.kills',
    'grace-from-breach.dmesg-1',
    'grace-from-breach.dmesg-2',
    'grace-from-breach.timely-g2.0',
    // the early break: the second limited user is never checked
    'several-users.killed-b1.0',
    'several-users.kills',
    'several-users.timely-b1.0',
    'sigterm-ignored.escalated-e1.0',
    'sigterm-ignored.kills',
  ],
} as const;
