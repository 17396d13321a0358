// One fuzz case: write the mutated Boltfile into a fresh folder, load it, and say how the loader ended. The only
// acceptable endings are a project or a user error (ConfigError/UserError): anything else is a loader bug.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../../src/model/errors.js';
import { loadProject } from '../../src/planner/load/load-project.js';
import type { MutatedCase } from './mutate.js';

export type Outcome = 'project' | 'user-error' | 'other-error';

export interface CaseResult {
  index: number;
  outcome: Outcome;
  /** for other-error: the error's name and first line */
  error: string | null;
  /** wall-clock time of the load */
  ms: number;
  /** CPU time of the load (user + system): what bounds are checked on, as a busy machine stretches wall time */
  cpuMs: number;
}

/** The nearest folder above this module holding a package.json: the checkout, from source or from a bundle. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/**
 * The corpus of real Boltfiles: SURGE_CORPUS, else shared/corpus/boltfiles beside this checkout, else beside the
 * main checkout of a git worktree (its common git dir), else beside the repository a clone came from.
 */
export function corpusDir(): string {
  const repo = repoRoot();
  const beside = (dir: string): string => resolve(dir, '../shared/corpus/boltfiles');
  const git = (...args: string[]): string => spawnSync('git', args, { cwd: repo, encoding: 'utf8' }).stdout?.trim() ?? '';
  const candidates = [process.env.SURGE_CORPUS, beside(repo)];
  const common = git('rev-parse', '--path-format=absolute', '--git-common-dir');
  if (common) candidates.push(beside(resolve(common, '..')));
  const origin = git('config', '--get', 'remote.origin.url');
  if (origin.startsWith('file://')) candidates.push(beside(fileURLToPath(origin)));
  else if (origin && !/^[a-z+]+:\/\/|^[^/]+@/.test(origin)) candidates.push(beside(resolve(repo, origin)));
  const found = candidates.find((d): d is string => Boolean(d) && existsSync(d as string));
  if (!found) throw new Error(`the Boltfile corpus is not at ${candidates.filter(Boolean).join(' nor ')}: set SURGE_CORPUS to its folder`);
  return resolve(found);
}

export function readCorpus(dir = corpusDir()): { name: string; text: string }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.toml'))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
}

/** Variables the cases may interpolate; one looks like a secret so message paths that echo values show up. */
export const FUZZ_ENV: Record<string, string> = { HOME: '/home/fuzz', API_TOKEN: 'fuzz-secret-value', MODE: 'dev' };

export function runCase(c: MutatedCase, root: string): CaseResult {
  const dir = join(root, `case-${c.index}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'Boltfile.toml');
  writeFileSync(file, c.bytes);
  const started = performance.now();
  const cpu = process.cpuUsage();
  let outcome: Outcome;
  let error: string | null = null;
  try {
    loadProject({ files: [file], cwd: dir, envFiles: [], env: FUZZ_ENV });
    outcome = 'project';
  } catch (e) {
    if (e instanceof UserError) outcome = 'user-error';
    else {
      outcome = 'other-error';
      const err = e instanceof Error ? e : new Error(String(e));
      error = `${err.name}: ${(err.message.split('\n')[0] ?? '').slice(0, 200)}`;
    }
  }
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  rmSync(dir, { recursive: true, force: true });
  return { index: c.index, outcome, error, ms, cpuMs: (used.user + used.system) / 1000 };
}
