import { describe, expect, it } from 'vitest';
import { encodeShellFrame, ShellV2Decoder } from './shell-v2.js';

describe('shell v2 framing', () => {
  it('encodes exact bytes', () => {
    expect([...encodeShellFrame(4)]).toEqual([4, 0, 0, 0, 0]);
    expect([...encodeShellFrame(1, Buffer.from('hi'))]).toEqual([1, 2, 0, 0, 0, 0x68, 0x69]);
  });

  it('decodes frames split across and packed into chunks', () => {
    const stream = Buffer.concat([encodeShellFrame(1, Buffer.from('hello\n')), encodeShellFrame(2, Buffer.from('oops')), encodeShellFrame(3, Buffer.from([7]))]);
    for (const cut of [1, 3, 5, 6, 11, 12, 20]) {
      const decoder = new ShellV2Decoder();
      const frames = [...decoder.push(stream.subarray(0, cut)), ...decoder.push(stream.subarray(cut))];
      expect(frames.map((f) => [f.id, f.data.toString('latin1')])).toEqual([[1, 'hello\n'], [2, 'oops'], [3, '\x07']]);
      expect(decoder.pending).toBe(0);
    }
  });

  it('keeps an unfinished frame pending', () => {
    const decoder = new ShellV2Decoder();
    expect(decoder.push(Buffer.from([1, 10, 0, 0, 0, 0x41]))).toEqual([]);
    expect(decoder.pending).toBe(6);
  });
});
