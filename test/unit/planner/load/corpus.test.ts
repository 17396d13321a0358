import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../src/model/errors.js';
import { loadProject } from '../../../../src/planner/load/load-project.js';
import { findCorpus } from '../../../fixtures/corpus.js';

const corpus = findCorpus();
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
