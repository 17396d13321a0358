import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Coalescer } from '../../../src/watch/coalescer.js';

describe('Coalescer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('waits for a quiet period and delivers one batch', async () => {
    const batches: number[][] = [];
    const c = new Coalescer<number>(300, async (b) => {
      batches.push(b);
    });
    for (let i = 0; i < 40; i++) {
      c.push(i);
      await vi.advanceTimersByTimeAsync(25);
    }
    expect(batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(300);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(40);
  });

  it('never runs two at once and gathers changes during a run into exactly one follow-up', async () => {
    const batches: number[][] = [];
    let running = 0;
    let maxRunning = 0;
    const c = new Coalescer<number>(100, async (b) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      batches.push(b);
      await new Promise((r) => setTimeout(r, 1000));
      running--;
    });
    c.push(1);
    await vi.advanceTimersByTimeAsync(150); // run 1 starts
    for (let i = 2; i <= 10; i++) {
      c.push(i);
      await vi.advanceTimersByTimeAsync(50);
    }
    await vi.advanceTimersByTimeAsync(5000);
    expect(batches).toEqual([[1], [2, 3, 4, 5, 6, 7, 8, 9, 10]]);
    expect(maxRunning).toBe(1);
  });

  it('keeps going after a failed run', async () => {
    const batches: number[][] = [];
    const c = new Coalescer<number>(10, async (b) => {
      batches.push(b);
      if (b[0] === 1) throw new Error('boom');
    });
    c.push(1);
    await vi.advanceTimersByTimeAsync(20);
    c.push(2);
    await vi.advanceTimersByTimeAsync(20);
    expect(batches).toEqual([[1], [2]]);
  });

  it('stops delivering after stop()', async () => {
    const batches: number[][] = [];
    const c = new Coalescer<number>(10, async (b) => {
      batches.push(b);
    });
    c.push(1);
    c.stop();
    await vi.advanceTimersByTimeAsync(50);
    expect(batches).toEqual([]);
    await expect(c.idle()).resolves.toBeUndefined();
  });
});
