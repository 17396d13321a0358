import { describe, expect, it } from 'vitest';
import { closestMatch } from '../../../../src/planner/load/suggest.js';

const keys = ['image', 'environment', 'depends_on', 'ports', 'volumes', 'healthcheck', 'restart'];

describe('closestMatch', () => {
  it.each([
    ['imgae', 'image'],
    ['enviroment', 'environment'],
    ['depend_on', 'depends_on'],
    ['depends-on', 'depends_on'],
    ['port', 'ports'],
    ['IMAGE', 'image'],
    ['helthcheck', 'healthcheck'],
  ])('%s → %s', (input, expected) => expect(closestMatch(input, keys)).toBe(expected));

  it('returns null when nothing is close', () => {
    expect(closestMatch('xyzzy', ['image', 'ports'])).toBeNull();
    expect(closestMatch('a', [])).toBeNull();
  });
});
