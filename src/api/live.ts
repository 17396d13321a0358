// Operations that follow a live stack until they are stopped or done: resource use (`stats`), the engine's events
// (`events`), and waiting for replicas to exit (`wait`). Each ends when its signal aborts.
import { setMaxListeners } from 'node:events';
import type { EngineEvent, ResourceSample } from '../drivers/driver.js';
import { CancelledError, UserError } from '../model/errors.js';
import type { ObservedContainer } from '../model/observed.js';
import { checkServiceNames } from '../planner/plan.js';
import { replicasOf, withCapability, type ReplicaSelection } from './replicas.js';
import type { Stack } from './stack.js';
import { compareText } from '../model/order.js';

export type { EngineEvent, ResourceSample };

const ROUND_MS = 1000;

function pauseFor(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
}

/** Which replicas `stats` samples, stopped ones too or not, and whether it keeps sampling until the signal aborts. */
export interface StatsOptions extends ReplicaSelection {
  /** stopped replicas too (their figures are null) */
  all?: boolean;
  /** keep sampling until `signal` aborts (default: one sample) */
  stream?: boolean;
  signal?: AbortSignal;
}

/** One round of `stats`: a sample per replica, and the services it does not apply to. */
export interface StatsRound {
  samples: ResourceSample[];
  /** services this does not apply to, sorted */
  notApplicable: string[];
}

/**
 * Samples CPU, memory, network, block I/O and pids of each replica (about a second per round), and GPU use of
 * replicas of GPU services where the host has nvidia-smi. Calls `onRound` once, or every round with `stream`.
 */
export async function stats(stack: Stack, options: StatsOptions, onRound: (round: StatsRound) => void): Promise<void> {
  const signal = options.signal ?? new AbortController().signal;
  do {
    const roundStarted = Date.now();
    const containers = (await replicasOf(stack, options)).filter((c) => options.all || c.state === 'running');
    const { capable, notApplicable } = await withCapability(stack, containers, 'stats');
    const groups = new Map<string, { driver: (typeof capable)[number]['driver']; list: ObservedContainer[] }>();
    for (const { container, driver } of capable) {
      const g = groups.get(container.driver) ?? { driver, list: [] };
      g.list.push(container);
      groups.set(container.driver, g);
    }
    let samples: ResourceSample[];
    try {
      samples = (await Promise.all([...groups.values()].map(({ driver, list }) => driver.stats(stack.project, list, signal)))).flat();
    } catch (e) {
      if (signal.aborted) return;
      throw e;
    }
    if (signal.aborted) return;
    onRound({ samples: samples.sort((a, b) => compareText(a.name, b.name)), notApplicable });
    // A round a second, as `docker stats` refreshes (a driver may measure CPU since its previous round).
    if (options.stream) await pauseFor(ROUND_MS - (Date.now() - roundStarted), signal);
  } while (options.stream && !signal.aborted);
}

/** Which replicas `events` streams the engine's events of, until the signal aborts. */
export interface EventsOptions extends ReplicaSelection {
  signal?: AbortSignal;
  /** said once before streaming, e.g. that host processes have no event stream */
  onNotice?: (message: string) => void;
}

/**
 * The engine's events for the project's containers (compose's `events`), until `signal` aborts. Host processes
 * have no engine behind them, so no events.
 */
export async function events(stack: Stack, options: EventsOptions, onEvent: (event: EngineEvent) => void): Promise<void> {
  const names = options.services ?? [];
  const selected = names.length ? names : Object.keys(stack.project.services);
  checkServiceNames(stack.project, names);
  const kinds = new Set(selected.map((n) => stack.project.services[n]?.driver ?? 'docker'));
  const processes = selected.filter((n) => stack.project.services[n]?.driver === 'process').sort();
  if (processes.length) {
    const what = `host process${processes.length === 1 ? '' : 'es'} (${processes.join(', ')})`;
    if (!kinds.has('docker')) throw new UserError(`events come from a container engine: ${what} have none; \`surge logs -f\` and \`surge ps\` show what they do`, 'precondition');
    options.onNotice?.(`no events for ${what}: they have no container engine behind them`);
  }
  const wanted = names.length ? new Set(names) : null;
  const signal = options.signal ?? new AbortController().signal;
  const driver = await stack.driver('docker');
  if (!driver.events) throw new UserError('this engine gives no event stream', 'precondition');
  await driver.events(stack.project, (e) => (!wanted || wanted.has(e.service)) && onEvent(e), signal);
}

/** A replica that `waitForExit` saw end, with its exit code. */
export interface ExitResult {
  container: ObservedContainer;
  /** null when it ended and nothing recorded how */
  exitCode: number | null;
}

/**
 * Blocks until every replica of `services` has exited (compose's `wait`), calling `onExit` as each does; resolves
 * with all of them in the order they exited. Rejects with a CancelledError when `signal` aborts first.
 */
export async function waitForExit(stack: Stack, services: string[], options: { signal?: AbortSignal } = {}, onExit: (r: ExitResult) => void = () => {}): Promise<ExitResult[]> {
  if (!services.length) throw new UserError('name the services to wait for');
  const containers = await replicasOf(stack, { services });
  if (!containers.length) throw new UserError(`no containers or processes for ${services.join(', ')}; run \`surge up\` first`, 'precondition');
  const { capable, notApplicable } = await withCapability(stack, containers, 'waitExit');
  if (notApplicable.length) throw new UserError(`cannot wait for ${notApplicable.join(', ')} on this target`, 'precondition');
  const signal = options.signal ?? new AbortController().signal;
  setMaxListeners(0, signal);
  const results: ExitResult[] = [];
  await Promise.all(
    capable.map(async ({ container, driver }) => {
      let exitCode: number | null;
      try {
        exitCode = await driver.waitExit(stack.project, container, signal);
      } catch (e) {
        if (signal.aborted) throw new CancelledError();
        throw e;
      }
      const r = { container, exitCode };
      results.push(r);
      onExit(r);
    }),
  );
  return results;
}
