import { describe, expect, it, vi } from 'vitest';
import { Emitter } from './emitter.js';

class Ticker extends Emitter<{ tick: number }> {
  tick(n: number): void {
    this.emit('tick', n);
  }
}

describe('Emitter', () => {
  it('a listener that throws is reported; the others still hear the event and the emitter does not fail', () => {
    const ticker = new Ticker();
    const heard: number[] = [];
    const report = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    ticker.on('tick', () => {
      throw new Error('broken listener');
    });
    ticker.on('tick', (n) => heard.push(n));
    expect(() => ticker.tick(1)).not.toThrow();
    expect(heard).toEqual([1]);
    expect(report).toHaveBeenCalledWith('a listener of "tick" failed:', expect.objectContaining({ message: 'broken listener' }));
    report.mockRestore();
  });
});
