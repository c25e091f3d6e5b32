import { describe, expect, it } from 'vitest';
import { latin1Decode } from '../util/bytes.js';
import { KERN_ERR, KERN_INFO, LOG_BUF_LEN, PrintkBuffer } from './printk.js';

describe('printk ring buffer (3.4)', () => {
  it('prefixes every line with <level>[%5lu.%06lu]', () => {
    let now = 12_345_678_901;
    const p = new PrintkBuffer(() => now);
    p.log(KERN_INFO, 'A process has been killed:\nuid=1');
    now = 123_000_000_000;
    p.log(KERN_ERR, 'Out of memory');
    expect(p.text()).toBe('<6>[   12.345678] A process has been killed:\n<6>[   12.345678] uid=1\n<3>[  123.000000] Out of memory\n');
  });

  it('wraps: dmesg keeps exactly the newest 128 KiB, starting mid-line as the kernel does', () => {
    const p = new PrintkBuffer(() => 0);
    for (let i = 0; i < 5000; i++) p.log(KERN_INFO, `line ${String(i).padStart(5, '0')} ${'x'.repeat(20)}`);
    const text = p.text();
    expect(text.length).toBe(LOG_BUF_LEN);
    expect(text.endsWith(`] line 04999 ${'x'.repeat(20)}\n`)).toBe(true);
    expect(text).not.toContain('line 00000');
    const lineLength = '<6>[    0.000000] line 00000 '.length + 21;
    expect(LOG_BUF_LEN % lineLength).not.toBe(0);
    expect(text.startsWith('<6>')).toBe(false);
    const firstFull = Number(/line (\d+)/.exec(text.slice(text.indexOf('\n') + 1))![1]);
    expect(firstFull).toBe(5000 - Math.floor(LOG_BUF_LEN / lineLength));
  });

  it('dmesg -c clears what dmesg shows but not what /proc/kmsg has yet to read', () => {
    const p = new PrintkBuffer(() => 0);
    p.log(KERN_INFO, 'one');
    p.clear();
    expect(p.text()).toBe('');
    p.log(KERN_INFO, 'two');
    expect(p.text()).toBe('<6>[    0.000000] two\n');
    expect(latin1Decode(p.consume(1 << 20))).toBe('<6>[    0.000000] one\n<6>[    0.000000] two\n');
    expect(p.consume(100).length).toBe(0);
  });

  it('/dev/kmsg records carry sequence numbers; a reader overtaken by the ring learns it lost records', () => {
    const p = new PrintkBuffer(() => 1_500_000);
    p.log(KERN_INFO, 'hello');
    expect(p.readRecord(0)).toEqual({ kind: 'record', line: '6,0,1500,-;hello\n' });
    expect(p.readRecord(1)).toEqual({ kind: 'empty' });
    for (let i = 0; i < 10000; i++) p.log(KERN_INFO, 'y'.repeat(40));
    expect(p.readRecord(0)).toEqual({ kind: 'lost' });
    expect(p.firstSeq()).toBeGreaterThan(0);
  });
});
