// What is live: `ps` (replicas with state, health, ports), `logs`, and `doctor` (what the target offers).
import { setMaxListeners } from 'node:events';
import type { LogLine, TargetReport } from '../drivers/driver.js';
import { errorMessage, UserError } from '../model/errors.js';
import type { DriverKind } from '../model/model.js';
import type { ObservedContainer } from '../model/observed.js';
import { selectServices } from '../planner/plan.js';
import type { Stack } from './stack.js';

export type { LogLine, TargetReport };

/** Which replicas `status` lists. */
export interface StatusOptions {
  services?: string[];
  /** include one-off containers */
  all?: boolean;
}

/**
 * The stack's replicas, sorted by service and replica; host processes' health is probed now (no engine tracks it).
 */
export async function status(stack: Stack, options: StatusOptions = {}): Promise<ObservedContainer[]> {
  const observed = await stack.observe();
  const wanted = options.services?.length ? new Set(selectServices(stack.project, options.services, true)) : null;
  const containers = observed.containers
    .filter((c) => (options.all || !c.oneoff) && (!wanted || wanted.has(c.service)))
    .sort((a, b) => a.service.localeCompare(b.service) || a.replica - b.replica || a.name.localeCompare(b.name));
  await Promise.all(
    containers.map(async (c) => {
      const driver = await stack.driver(c.driver);
      if (driver.probeHealth && c.health === null) c.health = await driver.probeHealth(stack.project, c);
    }),
  );
  return containers;
}

/** Which output `logs` streams (services, tail, since, timestamps) and whether it follows until the signal aborts. */
export interface LogsOptions {
  services?: string[];
  follow?: boolean;
  /** lines from the end of each log */
  tail?: number | null;
  /** unix seconds */
  since?: number | null;
  timestamps?: boolean;
  /** ends following */
  signal?: AbortSignal;
}

/** Streams the output of the stack's replicas to `onLine`; with `follow`, until `signal` aborts. */
export async function logs(stack: Stack, options: LogsOptions, onLine: (line: LogLine) => void): Promise<void> {
  const observed = await stack.observe();
  const wanted = new Set(options.services?.length ? selectServices(stack.project, options.services, true) : observed.containers.map((c) => c.service));
  const containers = observed.containers.filter((c) => !c.oneoff && wanted.has(c.service));
  if (!containers.length) {
    throw new UserError(`no containers or processes for ${options.services?.length ? options.services.join(', ') : `project ${stack.project.name}`}; run \`surge up\` first`, 'precondition');
  }
  const signal = options.signal ?? new AbortController().signal;
  setMaxListeners(0, signal); // one stream per container listens to it
  const byDriver = new Map<DriverKind, ObservedContainer[]>();
  for (const c of containers) byDriver.set(c.driver, [...(byDriver.get(c.driver) ?? []), c]);
  const logOptions = { follow: options.follow ?? false, tail: options.tail ?? null, since: options.since ?? null, timestamps: options.timestamps ?? false };
  await Promise.all([...byDriver.entries()].map(async ([kind, list]) => (await stack.driver(kind)).logs(stack.project, list, logOptions, onLine, signal)));
}

/** What the container engine offers (version, runtimes, GPU support, Swarm), or why it cannot be reached. */
export async function doctor(stack: Stack, kind: DriverKind = 'docker'): Promise<TargetReport> {
  try {
    const driver = await stack.driver(kind);
    if (!driver.report) return { reachable: true, endpoint: kind, lines: [] };
    return await driver.report();
  } catch (e) {
    return { reachable: false, endpoint: stack.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock', lines: [{ label: 'error', value: errorMessage(e) }] };
  }
}
