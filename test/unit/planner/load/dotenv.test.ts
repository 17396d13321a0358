import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../../../../src/planner/load/dotenv.js';

describe('parseDotenv', () => {
  it('reads compose-style files', () => {
    const src = [
      '# comment',
      '',
      'A=1',
      'export B = two ',
      'C="quoted # not comment"',
      "D='lit ${A}'",
      'E=${A}-x # comment',
      'F="line1\\nline2"',
      'G=',
      'H="multi',
      'line"',
      'FROM_ENV',
      'I=${OUTER:-dflt}',
    ].join('\n');
    const r = parseDotenv(src, (k) => (k === 'FROM_ENV' ? 'env!' : undefined));
    expect(r.ok && Object.fromEntries(r.entries.map((e) => [e.key, e.value]))).toEqual({
      A: '1',
      B: 'two',
      C: 'quoted # not comment',
      D: 'lit ${A}',
      E: '1-x',
      F: 'line1\nline2',
      G: '',
      H: 'multi\nline',
      FROM_ENV: 'env!',
      I: 'dflt',
    });
  });

  it('\\$ in double quotes is a literal dollar, never expanded', () => {
    const r = parseDotenv('A="p\\$HOME"\nB="\\${X:-d}"\nC="$$lit"', (k) => (k === 'HOME' ? '/root' : undefined));
    expect(r.ok && Object.fromEntries(r.entries.map((e) => [e.key, e.value]))).toEqual({ A: 'p$HOME', B: '${X:-d}', C: '$lit' });
  });

  it('locates invalid names', () => {
    expect(parseDotenv('OK=1\n  1A=x')).toEqual({ ok: false, line: 2, column: 3, message: 'invalid variable name "1A"' });
    expect(parseDotenv('A B=x')).toMatchObject({ ok: false, line: 1, column: 1 });
  });

  it('reports an unterminated quote', () => {
    expect(parseDotenv('A="open')).toMatchObject({ ok: false, line: 1, message: 'unterminated double quote in A' });
  });
});
