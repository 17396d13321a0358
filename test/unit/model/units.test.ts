import { describe, expect, it } from 'vitest';
import { parseByteSize, parseCpus, parseDuration } from '../../../src/model/units.js';

describe('parseDuration', () => {
  it.each([
    ['1s', 1000],
    ['500ms', 500],
    ['1m30s', 90_000],
    ['1.5s', 1500],
    ['2h', 7_200_000],
    ['10', 10_000],
    [30, 30_000],
    [0.25, 250],
  ] as const)('%s → %d ms', (input, ms) => {
    expect(parseDuration(input)).toEqual({ ok: true, value: ms });
  });

  it.each(['abc', '1x', '5 s', '', '1s2'])('rejects %j', (input) => {
    const r = parseDuration(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(`invalid duration "${input}"`);
  });

  it('rejects negative seconds', () => expect(parseDuration(-1).ok).toBe(false));
});

describe('parseByteSize', () => {
  it.each([
    ['512m', 512 * 1024 ** 2],
    ['4Gi', 4 * 1024 ** 3],
    ['8GB', 8 * 1024 ** 3],
    ['8G', 8 * 1024 ** 3],
    ['100', 100],
    [2048, 2048],
    ['1.5g', 1.5 * 1024 ** 3],
  ] as const)('%s → %d bytes', (input, bytes) => {
    expect(parseByteSize(input)).toEqual({ ok: true, value: bytes });
  });

  it.each(['lots', '5 parsecs', '-1m'])('rejects %j', (input) => expect(parseByteSize(input).ok).toBe(false));
});

describe('parseCpus', () => {
  it('accepts numbers and numeric strings', () => {
    expect(parseCpus(2)).toEqual({ ok: true, value: 2 });
    expect(parseCpus('1.5')).toEqual({ ok: true, value: 1.5 });
  });
  it('rejects zero and words', () => {
    expect(parseCpus(0).ok).toBe(false);
    expect(parseCpus('many').ok).toBe(false);
  });
});
