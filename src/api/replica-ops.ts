// `kill`, `pause`, `unpause`: one engine call per replica, all at once, as compose does them. They take no project
// lock: a kill must get through while another operation holds it (a second Ctrl-C on `up --attach` kills what a
// graceful stop is still waiting for).
import type { Driver } from '../drivers/driver.js';
import { asSurgeError, type SurgeError } from '../model/errors.js';
import type { ObservedContainer } from '../model/observed.js';
import { signalName } from '../model/signals.js';
import { replicasOf, withCapability, type ReplicaSelection } from './replicas.js';
import type { Stack } from './stack.js';
import { compareText } from '../model/order.js';

/**
 * What an operation on running replicas did (kill, pause, unpause): the replicas acted on, those that failed, and the
 * services it does not apply to.
 */
export interface ReplicaOpResult {
  ok: boolean;
  /** the replicas acted on */
  done: ObservedContainer[];
  failed: { container: ObservedContainer; error: SurgeError }[];
  /** services whose replicas this does not apply to (a host process cannot be paused), sorted */
  notApplicable: string[];
}

/** Which replicas `kill` signals, and with which signal (default SIGKILL). */
export interface KillOptions extends ReplicaSelection {
  /** e.g. "SIGKILL" (default), "SIGTERM", "HUP", "9" */
  signal?: string;
}

const live = (c: ObservedContainer): boolean => c.state === 'running' || c.state === 'paused' || c.state === 'restarting';

async function each<K extends 'kill' | 'pause' | 'unpause'>(
  stack: Stack,
  containers: ObservedContainer[],
  method: K,
  fn: (driver: Driver & Required<Pick<Driver, K>>, c: ObservedContainer) => Promise<void>,
): Promise<ReplicaOpResult> {
  const { capable, notApplicable } = await withCapability(stack, containers, method);
  const done: ObservedContainer[] = [];
  const failed: ReplicaOpResult['failed'] = [];
  await Promise.all(
    capable.map(async ({ container, driver }) => {
      try {
        await fn(driver, container);
        done.push(container);
      } catch (e) {
        failed.push({ container, error: asSurgeError(e) });
      }
    }),
  );
  const order = (a: ObservedContainer, b: ObservedContainer): number => compareText(a.name, b.name);
  return { ok: failed.length === 0, done: done.sort(order), failed: failed.sort((a, b) => order(a.container, b.container)), notApplicable };
}

/**
 * Sends a signal (default SIGKILL) to the running replicas of `services` (all when none are named).
 * @example
 * const r = await kill(stack, { services: ['worker'], signal: 'SIGHUP' });
 */
export async function kill(stack: Stack, options: KillOptions = {}): Promise<ReplicaOpResult> {
  const signal = options.signal ?? 'SIGKILL';
  const containers = (await replicasOf(stack, options)).filter(live);
  // A name no process can be sent is one user error, said once, before anything is signalled (not once per replica).
  // Only where host processes are signalled: a Docker engine also knows real-time signals Node has no name for.
  if (containers.some((c) => c.driver === 'process')) signalName(signal);
  return each(stack, containers, 'kill', (d, c) => d.kill(stack.project, c, signal));
}

/** Pauses the running containers of `services` (the engine freezes their processes). */
export async function pause(stack: Stack, options: ReplicaSelection = {}): Promise<ReplicaOpResult> {
  const containers = (await replicasOf(stack, options)).filter((c) => c.state === 'running');
  return each(stack, containers, 'pause', (d, c) => d.pause(stack.project, c));
}

/** Resumes the paused containers of `services`. */
export async function unpause(stack: Stack, options: ReplicaSelection = {}): Promise<ReplicaOpResult> {
  const containers = (await replicasOf(stack, options)).filter((c) => c.state === 'paused');
  return each(stack, containers, 'unpause', (d, c) => d.unpause(stack.project, c));
}
