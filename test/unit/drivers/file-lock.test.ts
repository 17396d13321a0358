// The file lock host processes keep in their project's folder (.surge/): one holder at a time, a clear timeout,
// a dead holder's lock taken over.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { acquireFileLock } from '../../../src/drivers/file-lock.js';
import { CancelledError, LockTimeoutError } from '../../../src/model/errors.js';

const owner = { token: 't', pid: process.pid, host: 'here', purpose: 'test' };

describe('file lock', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'surge-lock-'));
  });

  it('a second holder waits until the first releases, and is told who holds it', async () => {
    const first = await acquireFileLock(dir, 'p', { owner, timeoutMs: 5000 });
    const holders: unknown[] = [];
    const second = acquireFileLock(dir, 'p', { owner, timeoutMs: 60_000, pollMs: 20, onWait: (h) => holders.push(h) });
    await vi.waitFor(() => expect(holders).not.toEqual([]), { timeout: 10_000 });
    expect(holders).toEqual([{ description: `pid ${process.pid}`, pid: process.pid, host: null }]);
    await first.release();
    await (await second).release();
  });

  it('gives up after the timeout with a typed error naming the holder', async () => {
    const first = await acquireFileLock(dir, 'p', { owner, timeoutMs: 5000 });
    const late = acquireFileLock(dir, 'p', { owner, timeoutMs: 100, pollMs: 20 });
    await expect(late).rejects.toThrow(`another surge (pid ${process.pid}) is applying project "p"; gave up after 0 s. Try again when it is done, or raise --lock-timeout.`);
    await expect(late).rejects.toBeInstanceOf(LockTimeoutError);
    await expect(late).rejects.toMatchObject({ code: 'lock-timeout', holder: { pid: process.pid } });
    await first.release();
  });

  it('a waiter stops waiting when its signal aborts', async () => {
    const first = await acquireFileLock(dir, 'p', { owner, timeoutMs: 5000 });
    const controller = new AbortController();
    const waiting = acquireFileLock(dir, 'p', { owner, timeoutMs: 5000, pollMs: 20, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(waiting).rejects.toBeInstanceOf(CancelledError);
    await first.release();
  });

  it('different projects do not block each other', async () => {
    const a = await acquireFileLock(dir, 'p', { owner, timeoutMs: 100 });
    const b = await acquireFileLock(dir, 'q', { owner, timeoutMs: 100 });
    await a.release();
    await b.release();
  });

  it('takes over a lock whose holder is gone', async () => {
    writeFileSync(join(dir, 'p.lock'), '999999999\n');
    const taken = await acquireFileLock(dir, 'p', { owner, timeoutMs: 1000 });
    await taken.release();
  });
});
