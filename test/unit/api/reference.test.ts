// Every export of the public entry point is documented, and docs/API.md is the reference the sources generate.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');

describe('API reference', () => {
  it('every export has TSDoc and docs/API.md is up to date (node scripts/api-reference.mjs regenerates it)', () => {
    const r = spawnSync(process.execPath, [join(root, 'scripts/api-reference.mjs'), '--check'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 60_000);
});
