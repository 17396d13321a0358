import { describe, expect, it } from 'vitest';
import { parseMount, parseMountTableEntry } from '../../../../src/planner/load/mounts.js';
import { parsePort } from '../../../../src/planner/load/ports.js';
import { splitShellWords } from '../../../../src/model/shell-words.js';
import { closestMatch } from '../../../../src/planner/load/suggest.js';
import { formatPath } from '../../../../src/planner/load/tree.js';
import { parseByteSize, parseCpus, parseDuration } from '../../../../src/model/units.js';

// Values written to make a backtracking regular expression or a naive parser take quadratic time. At 200,000
// characters quadratic is tens of seconds and linear tens of milliseconds: every parser must stay well under the bound.
const N = 200_000;
const HOSTILE = [
  `${'1'.repeat(N)}x`,
  `1${' '.repeat(N)}x`,
  `${' '.repeat(N)}1${' '.repeat(N)}x`,
  `${'1'.repeat(N)}-${'1'.repeat(N)}x`,
  `${'1:'.repeat(N)}x`,
  `[${':'.repeat(N)}`,
  '['.repeat(N),
  '1-'.repeat(N),
  '1.'.repeat(N),
  `${'1s'.repeat(N)}x`,
  `${'1.1'.repeat(N)}x`,
  `${'/a'.repeat(N)}:${'/b'.repeat(N)}:ro`,
  `${'rw,'.repeat(N)}x`,
  `on-failure:${'9'.repeat(N)}`,
  `${'a'.repeat(N)}=`,
  `"${'\\"'.repeat(N)}`,
  `${'0'.repeat(N)}.${'0'.repeat(N)}gib`,
];

const PARSERS: [string, (s: string) => unknown][] = [
  ['parsePort', (s) => parsePort(s)],
  ['parsePort (long form)', (s) => parsePort({ target: s, published: s })],
  ['parseByteSize', (s) => parseByteSize(s)],
  ['parseDuration', (s) => parseDuration(s)],
  ['parseCpus', (s) => parseCpus(s)],
  ['parseMount', (s) => parseMount(s, '/tmp')],
  ['parseMountTableEntry', (s) => parseMountTableEntry(s, s, '/tmp')],
  ['splitShellWords', (s) => splitShellWords(s)],
  ['closestMatch', (s) => closestMatch(s, ['image', 'ports', s.slice(0, 10), s])],
  ['formatPath', (s) => formatPath([s, 0, s])],
];

describe('parsers stay linear on hostile values', () => {
  it.each(PARSERS)('%s', (_name, parse) => {
    for (const input of HOSTILE) {
      const t0 = performance.now();
      parse(input);
      // A super-linear blow-up takes minutes; the bound is wide for a busy machine (speed targets live in bench/).
      expect(performance.now() - t0, JSON.stringify(input.slice(0, 20))).toBeLessThan(5000);
    }
  });

  it('suggestions stay bounded with very many candidates', () => {
    const many = Array.from({ length: 200_000 }, (_, i) => `service-${i}`);
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) closestMatch(`servise-${i}`, many);
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(closestMatch('servise-7', ['service-7', 'other'])).toBe('service-7');
  });
});
