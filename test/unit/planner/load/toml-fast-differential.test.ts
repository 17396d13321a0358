// The fast TOML reader against the full path (check scan + smol-toml) on real and hostile text: the corpus of real
// Boltfiles, the bench's 5,000-service shape, seeded mutations of the corpus (the loader fuzz's mutator) and
// generated small documents, valid and not. Whenever the fast path returns a document, the full path must read the
// same one and find nothing to report (test/fixtures/toml-fast-oracle.ts). The fast path must also accept the
// common files, so these tests cannot pass by always giving up.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_CONFIG_BYTES } from '../../../../src/planner/load/limits.js';
import { loadProject } from '../../../../src/planner/load/load-project.js';
import { readCorpus } from '../../../fuzz/fuzz-case.js';
import { mutateCase } from '../../../fuzz/mutate.js';
import { tempProjectDir } from '../../../fixtures/load-toml.js';
import { checkFastPath } from '../../../fixtures/toml-fast-oracle.js';

const corpus = readCorpus();
/** ollama_ai_profile.toml has a line break in an inline table: not TOML 1.0, refused by the full path. */
const NOT_TOML_10 = 'CK-Technology__bolt__examples__ollama_ai_profile.toml';

interface BenchStacks {
  boltfile(project: string, services: unknown[]): string;
  chains(count: number): unknown[];
}

describe('the fast TOML reader on real Boltfiles', () => {
  it('reads every corpus file that is TOML 1.0, as the full path does', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(14);
    for (const { name, text } of corpus) {
      const check = checkFastPath(text);
      expect(check.problem, name).toBeNull();
      expect(check.accepted, name).toBe(name !== NOT_TOML_10);
    }
  });

  it("reads the bench's 5,000-service Boltfile, as the full path does", async () => {
    // bench/ is plain JavaScript: imported by a computed name, typed here.
    const stacksPath: string = '../../../../bench/lib/stacks.js';
    const stacks = (await import(stacksPath)) as BenchStacks;
    const text = stacks.boltfile('sbench-plan-5000-chains', stacks.chains(1667).slice(0, 5000));
    expect(text.length).toBeGreaterThan(500_000);
    expect(checkFastPath(text)).toEqual({ accepted: true, problem: null });
  });
});

const SEED = 11;
const CASES = 3000;
const CHUNK = 500;

describe('the fast TOML reader on seeded mutations of the corpus', () => {
  let accepted = 0;
  let checked = 0;
  it.each(Array.from({ length: CASES / CHUNK }, (_, n) => n * CHUNK))('cases %i..: the fast path agrees with the full path', (from) => {
    for (let i = from; i < from + CHUNK; i++) {
      const c = mutateCase(SEED, i, corpus);
      // The loader reads no file past its size cap: such texts never reach either path.
      if (c.bytes.length > MAX_CONFIG_BYTES) continue;
      const check = checkFastPath(c.bytes.toString('utf8'));
      expect(check.problem, `case ${i} (${c.ops.join('+')} on ${c.base})`).toBeNull();
      checked++;
      if (check.accepted) accepted++;
    }
  }, 120_000);

  it('accepts a share of them (mutations that keep the text in the subset)', () => {
    expect(checked).toBeGreaterThan(CASES / 2);
    expect(accepted).toBeGreaterThan(checked / 10);
  });
});

// Small documents from pieces chosen to collide: few key names (so redefinitions happen), every value form the
// fast path takes and many it must leave alone, separators and line ends valid and not.
const bareKey = fc.constantFrom('a', 'b', 'c-1', '1', 'true', '_');
const quotedKey = fc.constantFrom('"q k"', "'lit'", '""', '"a.b"', '"esc\\"q"', '"\\u0061"', "'a'");
const unsafe = fc.constantFrom('__proto__', 'constructor', '"__proto__"');
const keyPart = fc.oneof({ arbitrary: bareKey, weight: 8 }, { arbitrary: quotedKey, weight: 3 }, { arbitrary: unsafe, weight: 1 });
const dot = fc.constantFrom('.', '.', ' . ', '\t.');
const key = fc
  .tuple(keyPart, fc.array(fc.tuple(dot, keyPart), { maxLength: 2 }))
  .map(([first, rest]) => first + rest.map(([d, k]) => d + k).join(''));

const goodScalar = fc.constantFrom('1', '-1', '0', '42', '123456789012345', '1.5', '-0.0', '1e3', '2E-2', 'true', 'false', '"s"', '""', '"a\\tb\\n"', '"\\u00e9"', '"\\U0001F600"', '"😀"', "'lit'", "''", "'C:\\p'");
const oddScalar = fc.constantFrom('-0', '007', '1_000', '+1', '1.', '.5', '1e', '0x1f', '0o7', '0b1', 'inf', '-nan', 'truex', '1979-05-27', '07:32:00', '1979-05-27 07:32:00', '"\\e"', '"\\x41"', '"\\uD800"', '"\\q"', '"""m"""', "'''m'''", '"x', "'x", '1234567890123456', '"\u0001"', "'\u007f'", '1.5.3', '');
const scalar = fc.oneof({ arbitrary: goodScalar, weight: 6 }, { arbitrary: oddScalar, weight: 1 });
const arraySep = fc.constantFrom(', ', ',', ', ', ',\n  ', ' , # c\n', ',\r\n', ',,', ' ');
const inlineSep = fc.constantFrom(', ', ',', ', ', ',\n', ' , ', ',,');

const { value } = fc.letrec<{ value: string; array: string; inline: string }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, { arbitrary: scalar, weight: 6 }, { arbitrary: tie('array'), weight: 1 }, { arbitrary: tie('inline'), weight: 1 }),
  array: fc
    .tuple(fc.constantFrom('[', '[', '[\n  ', '[ # c\n'), fc.array(fc.tuple(tie('value'), arraySep), { maxLength: 3 }), fc.constantFrom('', ',', '\n', ',\n'), fc.constantFrom(']', ' ]'))
    .map(([open, items, trail, close]) => open + items.map(([v, s], n) => (n === items.length - 1 ? v : v + s)).join('') + (items.length ? trail : '') + close),
  inline: fc
    .tuple(fc.constantFrom('{ ', '{', '{\n'), fc.array(fc.tuple(key, fc.constantFrom(' = ', '=', '\t=\t'), tie('value'), inlineSep), { maxLength: 3 }), fc.constantFrom('', ',', '\n'), fc.constantFrom(' }', '}'))
    .map(([open, items, trail, close]) => open + items.map(([k, eq, v, s], n) => k + eq + v + (n === items.length - 1 ? '' : s)).join('') + (items.length ? trail : '') + close),
}));

const statement = fc.oneof(
  { arbitrary: fc.tuple(key, fc.constantFrom(' = ', '=', ' =\t'), value).map(([k, eq, v]) => k + eq + v), weight: 6 },
  { arbitrary: key.map((k) => `[${k}]`), weight: 2 },
  { arbitrary: key.map((k) => `[[${k}]]`), weight: 2 },
  { arbitrary: fc.constantFrom('# c', '', '   ', '# "x" [y]', '[ a ]', '[[ a ]]', '[a] ]', '[ [a]]', '[]', '\uFEFFa = 1'), weight: 1 },
);
const lineEnd = fc.oneof({ arbitrary: fc.constantFrom('\n'), weight: 8 }, { arbitrary: fc.constantFrom('\r\n', ' # end\n', '\t\n'), weight: 2 }, { arbitrary: fc.constantFrom('\r', ' ', '# \u0001\n'), weight: 1 });
const tomlDocument = fc.array(fc.tuple(statement, lineEnd), { minLength: 1, maxLength: 8 }).map((lines) => lines.map(([s, e]) => s + e).join(''));

describe('the fast TOML reader on generated documents', () => {
  it('agrees with the full path whenever it reads one, and reads many', () => {
    let accepted = 0;
    const runs = 4000;
    fc.assert(
      fc.property(tomlDocument, (text) => {
        const check = checkFastPath(text);
        if (check.accepted) accepted++;
        expect(check.problem, JSON.stringify(text)).toBeNull();
      }),
      { numRuns: runs, seed: 20240601 },
    );
    expect(accepted).toBeGreaterThan(runs / 10);
  });
});

// The loader itself on both paths: a root-level `x-` key holding a multi-line string is dropped by the loader (an
// extension field) but sends the text the full way (the fast reader takes no multi-line string). Same folder, same
// environment: the loaded project, warnings and errors must be the same whichever path read the file; only the
// positions of errors move down by the line added.
describe('the loader on a fast-read file and on the same file read the full way', () => {
  const FULL_WAY = 'x-full-way = """s"""\n';
  const dir = tempProjectDir();
  /** `shift`: lines added at the top, taken off the errors' positions */
  const outcome = (text: string, shift = 0): unknown => {
    writeFileSync(join(dir, 'Boltfile.toml'), text);
    try {
      const { project, warnings } = loadProject({ files: [], cwd: dir, envFiles: [], env: { HOME: '/home/u' } });
      return { project, warnings: warnings.map((w) => w.message) };
    } catch (err) {
      return { error: (err as Error).message.replace(/Boltfile\.toml:(\d+):/g, (_, line: string) => `Boltfile.toml:${Number(line) - shift}:`) };
    }
  };
  const same = (text: string, label: string): boolean => {
    expect(checkFastPath(text).accepted, label).toBe(true);
    expect(checkFastPath(FULL_WAY + text).accepted).toBe(false);
    const fast = outcome(text);
    expect(outcome(FULL_WAY + text, 1), label).toEqual(fast);
    return !('error' in (fast as object));
  };

  it('loads the same project from every fast-read corpus file and mutation', () => {
    let loaded = 0;
    for (const { name, text } of corpus) if (name !== NOT_TOML_10 && same(text, name)) loaded++;
    expect(loaded).toBeGreaterThanOrEqual(8);
    let compared = 0;
    for (let i = 0; compared < 300 && i < 5000; i++) {
      const c = mutateCase(SEED + 1, i, corpus);
      const text = c.bytes.toString('utf8');
      if (c.bytes.length > MAX_CONFIG_BYTES || !checkFastPath(text).accepted || checkFastPath(FULL_WAY + text).accepted) continue;
      same(text, `case ${i} (${c.ops.join('+')} on ${c.base})`);
      compared++;
    }
    expect(compared).toBe(300);
  }, 120_000);
});
