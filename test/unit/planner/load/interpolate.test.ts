import { describe, expect, it } from 'vitest';
import { interpolate, interpolateTree } from '../../../../src/planner/load/interpolate.js';

const env: Record<string, string> = { SET: 'value', EMPTY: '', B: 'bee' };
const lookup = (k: string): string | undefined => env[k];

describe('interpolate', () => {
  it.each([
    ['plain', 'plain'],
    ['${SET}', 'value'],
    ['$SET/x', 'value/x'],
    ['${UNSET}', ''],
    ['$UNSET', ''],
    ['${UNSET:-def}', 'def'],
    ['${EMPTY:-def}', 'def'],
    ['${EMPTY-def}', ''],
    ['${UNSET-def}', 'def'],
    ['${SET:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET+alt}', ''],
    ['$$SET', '$SET'],
    ['cost: $$5', 'cost: $5'],
    ['${UNSET:-${B:-x}}', 'bee'],
    ['${UNSET:-${NOPE:-deep}}', 'deep'],
    ['$1 and $ and $-', '$1 and $ and $-'],
    ['a${SET}b${B}c', 'avaluebbeec'],
  ])('%s → %s', (input, output) => {
    expect(interpolate(input, lookup)).toEqual({ ok: true, value: output });
  });

  it.each([
    ['${UNSET:?please set it}', 'required variable UNSET is missing a value: please set it'],
    ['${EMPTY:?}', 'required variable EMPTY is missing a value'],
    ['${UNSET?gone}', 'required variable UNSET is missing a value: gone'],
    ['${SET', 'invalid interpolation format for "${SET": unclosed "${"'],
    ['${}', 'invalid interpolation format for "${}": empty "${}"'],
    ['${1A}', 'invalid interpolation format for "${1A}": "${1A}" does not start with a variable name'],
    ['${A B}', 'invalid interpolation format for "${A B}": unexpected " " after A'],
  ])('%s fails', (input, message) => {
    expect(interpolate(input, lookup)).toEqual({ ok: false, message });
  });

  it('${EMPTY?x} passes: set but empty', () => expect(interpolate('${EMPTY?x}', lookup)).toEqual({ ok: true, value: '' }));

  it('reports unset variables substituted with empty', () => {
    const unset: string[] = [];
    interpolate('${A}$B ${SET}', (k) => (k === 'SET' ? 'x' : undefined), (n) => unset.push(n));
    expect(unset).toEqual(['A', 'B']);
  });

  it('walks trees and reports failures by path', () => {
    const errors: [unknown, string][] = [];
    const date = new Date(0);
    const out = interpolateTree({ a: ['${SET}', 1, { b: '${X:?need X}' }], d: date, t: true }, lookup, (p, m) => errors.push([p, m]));
    expect(out).toEqual({ a: ['value', 1, { b: '${X:?need X}' }], d: date, t: true });
    expect(errors).toEqual([[['a', 2, 'b'], 'required variable X is missing a value: need X']]);
  });
});
