// A project lock in a file, for state that lives on this machine (host processes: their records are under the
// project's folder). A lock file created with O_EXCL holds the owner's pid; a lock whose owner is gone is stale and
// taken over. A second surge waits for the first, or gives up after a timeout.
import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { LockTimeoutError, type LockHolder } from '../model/errors.js';
import type { HeldLock, LockRequest } from './driver.js';
import { sleep } from '../model/sleep.js';

export interface FileLockOptions extends LockRequest {
  pollMs?: number;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function holder(file: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isFinite(pid) ? pid : null;
  } catch {
    return null;
  }
}

function tryAcquire(file: string): boolean {
  try {
    const fd = openSync(file, 'wx', 0o600);
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/**
 * Removes a lock left by a dead process. A short-lived takeover file serialises contenders, and the holder is read
 * again under it, so a fresh lock taken by another contender in the meantime is never removed.
 */
function takeOverStale(file: string, deadPid: number): boolean {
  const guard = `${file}.takeover`;
  try {
    if (Date.now() - statSync(guard).mtimeMs > 5000) unlinkSync(guard);
  } catch {
    /* no guard left behind */
  }
  if (!tryAcquire(guard)) return false;
  try {
    if (holder(file) === deadPid) unlinkSync(file);
    return true;
  } finally {
    unlinkSync(guard);
  }
}

function holderOf(pid: number | null): LockHolder | null {
  return pid === null ? null : { description: `pid ${pid}`, pid, host: null };
}

/** The lock of `project` in `dir` (created 0700 if missing). */
export async function acquireFileLock(dir: string, project: string, options: FileLockOptions): Promise<HeldLock> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${project}.lock`);
  const deadline = Date.now() + options.timeoutMs;
  let told = false;
  for (;;) {
    if (tryAcquire(file)) break;
    const pid = holder(file);
    if (pid !== null && !alive(pid) && takeOverStale(file, pid)) continue;
    if (!told) {
      told = true;
      options.onWait?.(holderOf(pid));
    }
    if (Date.now() >= deadline) {
      throw new LockTimeoutError(
        `another surge${pid ? ` (pid ${pid})` : ''} is applying project "${project}"; gave up after ${Math.round(options.timeoutMs / 1000)} s. ` +
          'Try again when it is done, or raise --lock-timeout.',
        holderOf(pid),
      );
    }
    await sleep(options.pollMs ?? 200, options.signal);
  }
  let released = false;
  return {
    async release(): Promise<void> {
      if (released) return;
      released = true;
      try {
        if (holder(file) === process.pid) unlinkSync(file);
      } catch {
        /* already gone */
      }
    },
  };
}
