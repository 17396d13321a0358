// `up --abort-on-container-exit` / `--exit-code-from`: watch the replicas `up` brought up and, as soon as one exits,
// stop the services and give an exit code: the exiting replica's, or with `exitCodeFrom`, that service's. The stack
// is observed every half second; a replica `up` started that had already stopped when watching began counts too.
import { setMaxListeners } from 'node:events';
import { UserError } from '../model/errors.js';
import type { ObservedContainer } from '../model/observed.js';
import { checkServiceNames } from '../planner/plan.js';
import type { RunControl } from './control.js';
import { stop, type PlannedResult } from './lifecycle.js';
import { replicasOf } from './replicas.js';
import type { Stack } from './stack.js';

/** A replica that exited while `up` watched the stack in the foreground, with its exit code. */
export interface ReplicaExit {
  container: ObservedContainer;
  /** null when nothing recorded it (a host process killed with its whole group) */
  exitCode: number | null;
}

/**
 * What `watchForExit` watches: which services, the replicas just started, the poll interval, the signal that ends it.
 */
export interface ExitWatchOptions {
  /** the services watched (default: all) */
  services?: string[];
  /** names of replicas `up` just started: one already stopped when watching begins has exited */
  started?: string[];
  signal?: AbortSignal;
  /** how often the stack is observed, ms (default 500) */
  pollMs?: number;
}

const ended = (c: ObservedContainer): boolean => c.state === 'exited' || c.state === 'dead' || c.state === 'restarting';

/** Calls `onExit` for every replica that exits (a running one that stops, a restart), until `signal` aborts. */
export async function watchExits(stack: Stack, options: ExitWatchOptions, onExit: (exit: ReplicaExit) => void): Promise<void> {
  const signal = options.signal ?? new AbortController().signal;
  setMaxListeners(0, signal);
  const wasRunning = new Set(options.started ?? []);
  /** name → polls its exit code has been awaited (a host process writes it a moment after it ends) */
  const pending = new Map<string, number>();
  while (!signal.aborted) {
    let now: ObservedContainer[] = [];
    try {
      now = await replicasOf(stack, { services: options.services ?? [] });
    } catch (e) {
      if (e instanceof UserError) throw e;
      /* the engine away for a moment: try again */
    }
    for (const c of now) {
      if (c.state === 'running') {
        wasRunning.add(c.name);
        pending.delete(c.name);
        continue;
      }
      if (!ended(c) || !wasRunning.has(c.name)) continue;
      const waited = pending.get(c.name) ?? 0;
      if (c.exitCode === null && c.state !== 'restarting' && waited < 3) {
        pending.set(c.name, waited + 1);
        continue;
      }
      wasRunning.delete(c.name);
      pending.delete(c.name);
      onExit({ container: c, exitCode: c.exitCode });
    }
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, options.pollMs ?? 500);
      signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
    });
  }
}

/**
 * `signal` ends the watching (nothing is stopped then); once a replica has exited, only `abortInFlight` cuts the stop
 * short.
 */
export interface AbortOnExitOptions extends ExitWatchOptions, RunControl {
  /** the exit code to give is this service's (compose's `--exit-code-from`) */
  exitCodeFrom?: string | null;
  /** said when a replica exits and the services are being stopped ("Aborting on container exit...") */
  onAbort?: (exit: ReplicaExit) => void;
  /** seconds to wait for a graceful stop */
  timeoutSeconds?: number | null;
}

/**
 * What `up --abort-on-container-exit` ended with: the replica that exited first, the exit code to give, and the stop
 * of the services.
 */
export interface AbortOnExitResult {
  /** the first replica that exited; null when `signal` aborted first (nothing was stopped) */
  trigger: ReplicaExit | null;
  /** the exit code to give: the trigger's, or with `exitCodeFrom` that service's first exit (1 when unknown) */
  exitCode: number;
  /** the stop of the services */
  stopped: PlannedResult | null;
}

/**
 * Waits for the first replica of `services` to exit, then stops those services (dependents first) and says which
 * exit code the run ends with.
 * @example
 * const r = await abortOnExit(stack, { exitCodeFrom: 'tests', signal });
 * process.exitCode = r.exitCode;
 */
export async function abortOnExit(stack: Stack, options: AbortOnExitOptions): Promise<AbortOnExitResult> {
  if (options.exitCodeFrom) checkServiceNames(stack.project, [options.exitCodeFrom]);
  const watching = new AbortController();
  const stopWatching = (): void => watching.abort();
  options.signal?.addEventListener('abort', stopWatching, { once: true });
  let trigger: ReplicaExit | null = null;
  let fromService: ReplicaExit | null = null;
  let onFirst: () => void = () => {};
  const first = new Promise<void>((resolve) => (onFirst = resolve));
  // Watching goes on while the services stop: with --exit-code-from, that service's exit (maybe caused by the
  // stop) decides the exit code, as in compose.
  const watch = watchExits(stack, { ...options, signal: watching.signal }, (exit) => {
    if (options.exitCodeFrom && exit.container.service === options.exitCodeFrom) fromService ??= exit;
    if (!trigger) {
      trigger = exit;
      onFirst();
    }
  });
  try {
    await Promise.race([first, watch]);
  } finally {
    options.signal?.removeEventListener('abort', stopWatching);
  }
  const t = trigger as ReplicaExit | null;
  if (!t) {
    watching.abort();
    await watch;
    return { trigger: null, exitCode: 130, stopped: null };
  }
  options.onAbort?.(t);
  // `signal` ended the watching; the stop itself is cut short only by `abortInFlight` (a second Ctrl-C).
  const { signal: _watching, ...control } = options;
  const stopped = await stop(stack, { ...control, services: options.services ?? [], timeoutSeconds: options.timeoutSeconds ?? null });
  watching.abort();
  await watch;
  let code: number | null = t.exitCode;
  if (options.exitCodeFrom) {
    const from = fromService as ReplicaExit | null;
    // Stopped by the abort after the last look: its exit code is on the stopped replica.
    code = from ? from.exitCode : ((await replicasOf(stack, { services: [options.exitCodeFrom] })).find((c) => c.exitCode !== null)?.exitCode ?? null);
  }
  return { trigger: t, exitCode: code ?? 1, stopped };
}
