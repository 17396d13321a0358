// The shape of the code, checked: imports point one way (.dependency-cruiser.cjs says which), no source file grows
// past what a reader can hold, and tests mirror the layout of src/.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

function files(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? files(p, ext) : p.endsWith(ext) ? [p] : [];
  });
}

describe('architecture', () => {
  it('imports point one way: cli → library → engine / planner / drivers → model', async () => {
    const config = createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs')) as { forbidden: unknown[]; options: Record<string, unknown> };
    const prev = process.cwd();
    process.chdir(root);
    try {
      const result = await cruise(['src'], { ...config.options, validate: true, ruleSet: { forbidden: config.forbidden } } as Parameters<typeof cruise>[1]);
      const output = result.output as ICruiseResult;
      const violations = output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
      expect(violations).toEqual([]);
      // The checker really looked: every module under src/ was cruised.
      expect(output.summary.totalCruised).toBeGreaterThanOrEqual(files(join(root, 'src'), '.ts').length);
    } finally {
      process.chdir(prev);
    }
  }, 60_000);

  it('no source file is longer than 450 lines', () => {
    const long = files(join(root, 'src'), '.ts')
      .map((f) => [relative(root, f), readFileSync(f, 'utf8').split('\n').length] as const)
      .filter(([, n]) => n > 450);
    expect(long).toEqual([]);
  });

  it('unit tests mirror src/: each folder of test/unit names a folder of src/', () => {
    const dirs = readdirSync(join(root, 'test/unit')).filter((d) => statSync(join(root, 'test/unit', d)).isDirectory());
    for (const d of dirs) expect(statSync(join(root, 'src', d)).isDirectory(), `src/${d}`).toBe(true);
  });
});
