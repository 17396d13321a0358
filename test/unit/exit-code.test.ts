import { describe, expect, it } from 'vitest';
import { EXIT_CANCELLED, exitCodeOf } from '../../src/api/apply.js';

const result = (ok: boolean) => ({ ok, cancelled: false, done: [], failed: ok ? [] : [{ id: 'a', error: 'x' }], skipped: [], notStarted: [] });

describe('exit codes of an apply', () => {
  it('0 when done, 1 when something failed', () => {
    expect(exitCodeOf(result(true), false)).toBe(0);
    expect(exitCodeOf(result(false), false)).toBe(1);
  });

  it('130 after Ctrl-C, even when the in-flight actions went on to finish', () => {
    expect(exitCodeOf(result(false), true)).toBe(EXIT_CANCELLED);
    expect(exitCodeOf(result(true), true)).toBe(130);
  });
});
