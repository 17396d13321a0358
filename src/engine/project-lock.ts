// One apply per project at a time. A lock file created with O_EXCL holds the owner's pid; a lock whose owner is
// gone is stale and taken over. A second `surge up` waits for the first, or gives up after a timeout.
import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '../model/config-hash.js';
import { UserError } from '../model/errors.js';

export interface LockOptions {
  timeoutMs: number;
  pollMs?: number;
  /** called once when the lock is busy, so the CLI can say it is waiting */
  onWait?: (holderPid: number | null) => void;
}

export interface ProjectLock {
  release(): void;
}

function lockDir(): string {
  const dir = join(process.env.SURGE_LOCK_DIR ?? join(tmpdir(), `surge-locks-${process.getuid?.() ?? 'user'}`));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
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

/** `scope` names what the lock guards, e.g. the engine endpoint plus the project name. */
export async function acquireProjectLock(project: string, scope: string, options: LockOptions): Promise<ProjectLock> {
  const file = join(lockDir(), `${project}-${sha256(scope).slice(0, 12)}.lock`);
  const deadline = Date.now() + options.timeoutMs;
  let told = false;
  for (;;) {
    if (tryAcquire(file)) break;
    const pid = holder(file);
    if (pid !== null && !alive(pid) && takeOverStale(file, pid)) continue;
    if (!told) {
      told = true;
      options.onWait?.(pid);
    }
    if (Date.now() >= deadline) {
      throw new UserError(
        `another surge${pid ? ` (pid ${pid})` : ''} is applying project "${project}"; gave up after ${Math.round(options.timeoutMs / 1000)} s. ` +
          'Try again when it is done, or raise --lock-timeout.',
      );
    }
    await new Promise((r) => setTimeout(r, options.pollMs ?? 200));
  }
  let released = false;
  return {
    release(): void {
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
