// The loader skips walking a parsed TOML document for its value count when the text bounds it below the cap
// (limits.ts, tomlValueBound): the bound must never be under what the document holds, or a document over the cap
// would get through.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { countValues, MAX_VALUES, tomlValueBound } from '../../../../src/planner/load/limits.js';
import { writeToml } from '../../../../src/planner/load/toml-writer.js';
import { findCorpus } from '../../../fixtures/corpus.js';
import { loadError } from '../../../fixtures/load-toml.js';

function expectBounded(text: string): void {
  const values = countValues(parse(text));
  expect(tomlValueBound(text)).toBeGreaterThanOrEqual(values);
}

describe('the text bound on a TOML document\'s values', () => {
  it('is tight where every mark makes a value, and never under the count', () => {
    // tight: each mark makes exactly one value
    for (const text of ['a.b.c = 1\n', 'x = [[1], [2, 3]]\n', 'x = [{ a = 1 }, { b = 2 }]\n']) {
      expect(tomlValueBound(text)).toBe(countValues(parse(text)));
    }
    // headers repeat the parents' names; empty lists hold nothing; strings and comments add marks, never values
    for (const text of ['[a.b]\n[a.c]\nx = 1\n', '[[a.b]]\n[[a.b]]\n', 'x = {}\ny = []\n', 'x = "a.b=c,[d"  # e.f\n', "'k.1' = 2\n"]) {
      expectBounded(text);
    }
  });

  it('bounds every corpus file', () => {
    const dir = findCorpus();
    const files = readdirSync(dir).filter((f) => f.endsWith('.toml'));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8');
      let parsed = true;
      try {
        parse(text);
      } catch {
        parsed = false; // not TOML this parser reads: nothing to count
      }
      if (parsed) expectBounded(text);
    }
  });

  it('bounds generated documents, as two writers spell them', () => {
    const key = fc.constantFrom('a', 'b', 'c.d', 'web', '1', 'x y');
    const scalar = fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.boolean());
    const { tree } = fc.letrec((tie) => ({
      tree: fc.dictionary(key, fc.oneof({ depthSize: 'small' }, scalar, tie('tree'), tie('list')), { maxKeys: 4 }),
      list: fc.oneof(fc.array(scalar, { maxLength: 4 }), fc.array(tie('tree'), { maxLength: 3 })),
    }));
    fc.assert(
      fc.property(tree, (doc) => {
        expectBounded(stringify(doc));
        expectBounded(writeToml(doc as Record<string, unknown>));
      }),
      { numRuns: 300 },
    );
  });

  it('still lets the walk refuse a document over the cap', () => {
    // a list of MAX_VALUES + 1 one-character entries: over the cap, and the bound says so
    const text = `x = [${Array.from({ length: MAX_VALUES + 1 }, () => '1').join(',')}]\n`;
    expect(tomlValueBound(text)).toBeGreaterThan(MAX_VALUES);
    expect(loadError(`[services.web]\nimage = "nginx"\n${text}`)).toMatch(/more than 100,000 values/);
  });
});
