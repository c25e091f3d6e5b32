import { UTS_RELEASE } from '../kernel/version.js';

/** The sdk emulator image's build properties (Android 4.4.2, API 19, armeabi-v7a). */
export const BUILD_PROPERTIES: Readonly<Record<string, string>> = {
  'ro.build.id': 'KK',
  'ro.build.display.id': 'sdk-eng 4.4.2 KK 938007 test-keys',
  'ro.build.version.incremental': '938007',
  'ro.build.version.sdk': '19',
  'ro.build.version.codename': 'REL',
  'ro.build.version.release': '4.4.2',
  'ro.build.type': 'eng',
  'ro.build.user': 'android-build',
  'ro.build.host': 'vpbs1.mtv.corp.google.com',
  'ro.build.tags': 'test-keys',
  'ro.build.fingerprint': 'generic/sdk/generic:4.4.2/KK/938007:eng/test-keys',
  'ro.product.model': 'sdk',
  'ro.product.brand': 'generic',
  'ro.product.name': 'sdk',
  'ro.product.device': 'generic',
  'ro.product.board': '',
  'ro.product.cpu.abi': 'armeabi-v7a',
  'ro.product.cpu.abi2': 'armeabi',
  'ro.product.manufacturer': 'unknown',
  'ro.product.locale.language': 'en',
  'ro.product.locale.region': 'US',
  'ro.board.platform': '',
  'ro.hardware': 'goldfish',
  'ro.kernel.qemu': '1',
  'ro.kernel.qemu.gles': '0',
  'ro.kernel.android.checkjni': '1',
  'ro.secure': '0',
  'ro.adb.secure': '0',
  'ro.debuggable': '1',
  'ro.config.low_ram': 'false',
  'ro.serialno': '',
  'ro.bootmode': 'unknown',
  'ro.baseband': 'unknown',
  'ro.bootloader': 'unknown',
  'ro.revision': '0',
  'ro.sf.lcd_density': '240',
  'ro.zygote.disable_gl_preload': 'true',
  'dalvik.vm.heapsize': '64m',
  'persist.sys.usb.config': 'adb',
  'net.hostname': 'localhost',
  'service.adb.root': '1',
  'init.svc.adbd': 'running',
  'qemu.sf.lcd_density': '240',
  'gsm.operator.alpha': 'Android',
  'ro.kernel.version': UTS_RELEASE,
};

export function buildPropText(): string {
  return Object.entries(BUILD_PROPERTIES)
    .filter(([k]) => k.startsWith('ro.build') || k.startsWith('ro.product'))
    .map(([k, v]) => `${k}=${v}\n`)
    .join('');
}
