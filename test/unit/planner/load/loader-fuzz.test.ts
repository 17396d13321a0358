// A bounded, deterministic slice of the loader fuzz (`npm run fuzz` runs thousands in worker processes): the same
// 300 mutations of the real Boltfiles every run. Each must end in a project or a user error, quickly.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCorpus, runCase } from '../../../fuzz/fuzz-case.js';
import { mutateCase } from '../../../fuzz/mutate.js';

const SEED = 7;
const CASES = 300;
const CHUNK = 50;
/**
 * CPU time (a busy machine stretches wall time). Cases reach 4 MiB of TOML and 300,000 schema errors: linear work
 * on those takes seconds; a super-linear path takes minutes.
 */
const MAX_CPU_MS = 5000;

const corpus = readCorpus();
const root = mkdtempSync(join(tmpdir(), 'surge-fuzz-unit-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('loader fuzz (deterministic slice)', () => {
  const chunks = Array.from({ length: CASES / CHUNK }, (_, i) => i * CHUNK);
  it.each(chunks)('cases %i.. end in a project or a user error, in bounded time and memory', (from) => {
    const rssBefore = process.memoryUsage().rss;
    for (let i = from; i < from + CHUNK; i++) {
      const c = mutateCase(SEED, i, corpus);
      const r = runCase(c, root);
      const what = `case ${i} (${c.ops.join('+')} on ${c.base})`;
      expect(r.error, what).toBeNull();
      expect(['project', 'user-error'], what).toContain(r.outcome);
      expect(r.cpuMs, what).toBeLessThan(MAX_CPU_MS);
    }
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(1024 ** 3);
  }, 120_000);

  it('the mutations are what the seed says (a failing case is replayed by its number)', () => {
    expect(mutateCase(SEED, 11, corpus).bytes.equals(mutateCase(SEED, 11, corpus).bytes)).toBe(true);
    expect(mutateCase(SEED, 11, corpus).bytes.equals(mutateCase(SEED + 1, 11, corpus).bytes)).toBe(false);
  });
});
