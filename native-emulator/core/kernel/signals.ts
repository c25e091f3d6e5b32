/** ARM Linux signal numbers, names and default actions. */
export const SIGHUP = 1;
export const SIGINT = 2;
export const SIGQUIT = 3;
export const SIGKILL = 9;
export const SIGPIPE = 13;
export const SIGTERM = 15;
export const SIGCHLD = 17;
export const SIGCONT = 18;
export const SIGSTOP = 19;

export const SIGNAL_NAMES: readonly string[] = [
  '', 'HUP', 'INT', 'QUIT', 'ILL', 'TRAP', 'ABRT', 'BUS', 'FPE', 'KILL', 'USR1', 'SEGV', 'USR2', 'PIPE', 'ALRM',
  'TERM', 'STKFLT', 'CHLD', 'CONT', 'STOP', 'TSTP', 'TTIN', 'TTOU', 'URG', 'XCPU', 'XFSZ', 'VTALRM', 'PROF',
  'WINCH', 'IO', 'PWR', 'SYS',
];

export const SIGNAL_DESCRIPTIONS: readonly string[] = [
  '', 'Hangup', 'Interrupt', 'Quit', 'Illegal instruction', 'Trap', 'Aborted', 'Bus error',
  'Floating point exception', 'Killed', 'User signal 1', 'Segmentation fault', 'User signal 2', 'Broken pipe',
  'Alarm clock', 'Terminated', 'Stack fault', 'Child exited', 'Continue', 'Stopped (signal)', 'Stopped',
  'Stopped (tty input)', 'Stopped (tty output)', 'Urgent I/O condition', 'CPU time limit exceeded',
  'File size limit exceeded', 'Virtual timer expired', 'Profiling timer expired', 'Window size changed',
  'I/O possible', 'Power failure', 'Bad system call',
];

export type SignalDisposition = 'default' | 'ignore';

export const MAX_SIGNAL = 31;

/** Signals whose default action is to do nothing. */
const IGNORED_BY_DEFAULT = new Set([SIGCHLD, SIGCONT, 23, 28]);

export const isUncatchable = (sig: number): boolean => sig === SIGKILL || sig === SIGSTOP;
export const terminatesByDefault = (sig: number): boolean => !IGNORED_BY_DEFAULT.has(sig) && sig !== SIGSTOP && sig >= 1 && sig <= MAX_SIGNAL && !(sig >= 20 && sig <= 22);

export function parseSignal(spec: string): number | undefined {
  if (/^\d+$/.test(spec)) {
    const n = Number(spec);
    return n >= 0 && n <= MAX_SIGNAL ? n : undefined;
  }
  const name = spec.toUpperCase().replace(/^SIG/, '');
  const i = SIGNAL_NAMES.indexOf(name);
  return i > 0 ? i : undefined;
}

/** Wait status as waitpid() encodes it. */
export const exitedStatus = (code: number): number => (code & 0xff) << 8;
export const signalledStatus = (sig: number): number => sig & 0x7f;
export const statusToShellCode = (status: number): number => ((status & 0x7f) !== 0 ? 128 + (status & 0x7f) : (status >> 8) & 0xff);
