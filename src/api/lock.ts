// One apply per project at a time, wherever it runs: each driver the project uses keeps the lock where its state
// lives (the engine or cluster, the project's folder), and an operation that changes things holds all of them.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { HeldLock, LockOwner } from '../drivers/driver.js';
import type { DriverKind } from '../model/model.js';
import { DEFAULT_LOCK_TIMEOUT_MS, emitter, type RunControl } from './control.js';
import { driversUsed, type Stack } from './stack.js';

export function lockOwner(purpose: string): LockOwner {
  return { token: randomBytes(8).toString('hex'), pid: process.pid, host: hostname(), purpose };
}

/**
 * Runs `fn` holding the project's locks, taken in a fixed order (so two operations never wait on each other) and
 * released whatever happens. `kinds` defaults to the drivers the project uses.
 */
export async function withProjectLock<T>(stack: Stack, control: RunControl, purpose: string, fn: () => Promise<T>, kinds?: Iterable<DriverKind>): Promise<T> {
  const emit = emitter(control);
  const owner = lockOwner(purpose);
  const held: HeldLock[] = [];
  const wanted = [...new Set(kinds ?? driversUsed(stack.project))].sort();
  let waited = false;
  try {
    for (const kind of wanted) {
      const driver = await stack.driver(kind);
      held.push(
        await driver.lock(stack.project, {
          owner,
          timeoutMs: control.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
          ...(control.signal ? { signal: control.signal } : {}),
          onWait: (holder) => {
            if (waited) return;
            waited = true;
            emit({ type: 'lock-wait', project: stack.project.name, holder });
          },
        }),
      );
    }
    return await fn();
  } finally {
    for (const lock of held.reverse()) await lock.release().catch(() => undefined);
  }
}
