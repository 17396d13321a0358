import { describe, expect, it } from 'vitest';
import { compareText } from '../../../src/model/order.js';

describe('compareText', () => {
  it('orders by code unit, as sort() does by default, not by locale: punctuation, digits, upper case, `_`, lower case', () => {
    const names = ['web', 'a_b', 'Api', 'a-b', 'a1', 'a.b', 'svc10', 'svc9', 'ab', 'é'];
    expect([...names].sort(compareText)).toEqual(['Api', 'a-b', 'a.b', 'a1', 'a_b', 'ab', 'svc10', 'svc9', 'web', 'é']);
    expect([...names].sort(compareText)).toEqual([...names].sort());
    expect(compareText('a', 'a')).toBe(0);
    expect(compareText('a', 'b')).toBeLessThan(0);
    expect(compareText('b', 'a')).toBeGreaterThan(0);
  });
});
