// The library example (examples/api/lifecycle.ts) compiled with tsc against the package's own declarations and run
// on both targets, as a user's program would: through `import … from 'surge-stack'` only.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_IMAGE, docker } from './cli.js';

const root = resolve(import.meta.dirname, '../..');
const example = join(root, 'examples/api');
const cwd = mkdtempSync(join(tmpdir(), 'surge-api-example-'));

beforeAll(() => {
  // Type-checks the example against dist/types (the package's self-reference resolves 'surge-stack').
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', example], { stdio: 'pipe' });
});

afterAll(() => rmSync(cwd, { recursive: true, force: true }));

function runExample(target: 'docker' | 'process', project: string): { code: number; out: string } {
  const r = spawnSync(process.execPath, [join(example, 'build/lifecycle.js'), target], {
    cwd,
    env: { ...process.env, SURGE_EXAMPLE_IMAGE: BASE_IMAGE, SURGE_EXAMPLE_PROJECT: project },
    encoding: 'utf8',
    timeout: 170_000,
  });
  return { code: r.status ?? 1, out: `${r.stdout}${r.stderr}` };
}

describe('examples/api', () => {
  it.each(['process', 'docker'] as const)('loads, plans, applies, changes and takes down a stack on %s', async (target) => {
    const project = `apiex${target}${Math.random().toString(36).slice(2, 7)}`;
    const { code, out } = runExample(target, project);
    expect(out).toContain(`== first apply (${target})`);
    expect(out).toContain('+ service:greeter#1  create    (not found)');
    expect(out).toContain('== a second plan has 0 actions');
    expect(out).toContain('changed: recreate service:greeter#1 (env GREETING changed)');
    expect(out).toMatch(/== down: \d+ removed\n/);
    expect(code).toBe(0);
    if (target === 'docker') {
      const left = await docker.listContainers({ all: true, filters: { label: [`surge.project=${project}`] } });
      expect(left).toEqual([]);
    }
  });
});
