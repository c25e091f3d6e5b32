/** The simulated kernel's identity: one place for uname, /proc/version and module vermagic. */
export const UTS_RELEASE = '3.4.67-gd9b4b0f';
export const UTS_VERSION = '#1 SMP PREEMPT Tue Oct 21 13:52:57 PDT 2014';
export const UTS_MACHINE = 'armv7l';
export const UTS_NODENAME = 'localhost';
export const LINUX_BANNER = `Linux version ${UTS_RELEASE} (android-build@vpbs1.mtv.corp.google.com) (gcc version 4.8 (GCC) ) ${UTS_VERSION}`;
export const VERMAGIC = `${UTS_RELEASE} SMP preempt mod_unload ARMv7`;
