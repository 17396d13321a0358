import { mkdtempSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { acquireProjectLock } from '../../src/engine/project-lock.js';

describe('project lock', () => {
  beforeEach(() => {
    process.env.SURGE_LOCK_DIR = mkdtempSync(join(tmpdir(), 'surge-lock-'));
  });

  it('a second holder waits until the first releases', async () => {
    const first = await acquireProjectLock('p', 'docker:x', { timeoutMs: 5000 });
    let waited = false;
    const second = acquireProjectLock('p', 'docker:x', { timeoutMs: 5000, pollMs: 20, onWait: () => (waited = true) });
    await new Promise((r) => setTimeout(r, 100));
    expect(waited).toBe(true);
    first.release();
    (await second).release();
  });

  it('gives up after the timeout with a clear message', async () => {
    const first = await acquireProjectLock('p', 'docker:x', { timeoutMs: 5000 });
    await expect(acquireProjectLock('p', 'docker:x', { timeoutMs: 100, pollMs: 20 })).rejects.toThrow(
      `another surge (pid ${process.pid}) is applying project "p"; gave up after 0 s. Try again when it is done, or raise --lock-timeout.`,
    );
    first.release();
  });

  it('different projects or engines do not block each other', async () => {
    const a = await acquireProjectLock('p', 'docker:x', { timeoutMs: 100 });
    const b = await acquireProjectLock('q', 'docker:x', { timeoutMs: 100 });
    const c = await acquireProjectLock('p', 'docker:y', { timeoutMs: 100 });
    [a, b, c].forEach((l) => l.release());
  });

  it('takes over a lock whose holder is gone', async () => {
    const dir = process.env.SURGE_LOCK_DIR as string;
    const first = await acquireProjectLock('p', 'docker:x', { timeoutMs: 100 });
    const file = readdirSync(dir).find((f) => f.endsWith('.lock')) as string;
    first.release();
    writeFileSync(join(dir, file), '999999999\n');
    const taken = await acquireProjectLock('p', 'docker:x', { timeoutMs: 1000 });
    taken.release();
  });
});
