// The events an operation reports while it runs, through `onEvent`: the executor's, plus what happens around it.
// The CLI renders the same events as a live tree, plain lines or JSON; a program can do what it likes with them.
import type { ExecEvent } from '../engine/executor.js';
import type { LockHolder } from '../model/errors.js';

export type { ExecEvent };

/**
 * The events an operation reports through `onEvent`: the executor's, plus notices, lock waits and `--wait` progress.
 */
export type SurgeEvent =
  | ExecEvent
  /** something the user must know that is not an action: an orphan kept, a setting not enforced */
  | { type: 'notice'; message: string }
  /** another surge holds the project lock; emitted once, then the operation waits */
  | { type: 'lock-wait'; project: string; holder: LockHolder | null }
  /** `up` finished converging (before any `--wait`): `changes` actions were planned (0: the stack was up to date) */
  | { type: 'converged'; project: string; changes: number; ok: boolean }
  /** `up --wait` began waiting for these services */
  | { type: 'wait-start'; services: string[] }
  /** one service met its wait condition */
  | { type: 'wait-ready'; service: string; condition: 'running' | 'healthy' | 'completed' };

/** A callback for the events of an operation. */
export type OnEvent = (event: SurgeEvent) => void;
