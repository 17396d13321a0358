import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../src/model/errors.js';
import { loadProject } from '../../../../src/planner/load/load-project.js';

/**
 * The corpus lives beside the repository (shared/corpus/boltfiles: third-party files, not ours to vendor): beside
 * this checkout, or beside the repository it was cloned from (a clean clone in /tmp); SURGE_CORPUS overrides both.
 */
function corpusDir(): string {
  const repo = resolve(import.meta.dirname, '../../../..');
  const beside = (dir: string): string => resolve(dir, '../shared/corpus/boltfiles');
  const candidates = [process.env.SURGE_CORPUS, beside(repo)];
  const origin = spawnSync('git', ['config', '--get', 'remote.origin.url'], { cwd: repo, encoding: 'utf8' }).stdout?.trim() ?? '';
  if (origin.startsWith('file://')) candidates.push(beside(fileURLToPath(origin)));
  else if (origin && !/^[a-z+]+:\/\/|^[^/]+@/.test(origin)) candidates.push(beside(resolve(repo, origin)));
  const found = candidates.find((d): d is string => Boolean(d) && existsSync(d as string));
  if (!found) throw new Error(`the Boltfile corpus is not at ${candidates.filter(Boolean).join(' nor ')}: set SURGE_CORPUS to its folder`);
  return resolve(found);
}

const corpus = corpusDir();
const files = readdirSync(corpus).filter((f) => f.endsWith('.toml'));
const INVALID = 'CK-Technology__bolt__examples__ollama_ai_profile.toml';

function load(file: string) {
  return loadProject({ files: [join(corpus, file)], cwd: corpus, envFiles: [], env: {} });
}

describe('real Boltfiles from the wild', () => {
  it('the corpus is there', () => expect(files.length).toBeGreaterThanOrEqual(14));

  it.each(files.filter((f) => f !== INVALID))('%s loads (warnings allowed)', (file) => {
    const { project } = load(file);
    expect(Object.keys(project.services).length).toBeGreaterThan(0);
  });

  it('rejects ollama_ai_profile.toml (not TOML 1.0) with a located error', () => {
    let error: unknown;
    try {
      load(INVALID);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const d = (error as ConfigError).diagnostics[0];
    expect(d?.location).toMatchObject({ file: INVALID, line: 24, column: 16 });
    expect((error as ConfigError).message).toMatch(new RegExp(`^${INVALID.replace(/\./g, '\\.')}:24:16: invalid TOML`));
  });
});
