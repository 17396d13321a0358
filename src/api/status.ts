// What is live: `ps` (replicas with state, health, ports), `logs`, and `doctor` (what the target offers).
import type { LogLine, TargetReport } from '../drivers/driver.js';
import { errorMessage } from '../model/errors.js';
import type { DriverKind } from '../model/model.js';
import type { ObservedContainer } from '../model/observed.js';
import { selectServices } from '../planner/plan.js';
import type { Stack } from './stack.js';
import { compareText } from '../model/order.js';

export type { LogLine, TargetReport };
export { logs, type LogsOptions } from './logs.js';

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
    .sort((a, b) => compareText(a.service, b.service) || a.replica - b.replica || compareText(a.name, b.name));
  await Promise.all(
    containers.map(async (c) => {
      const driver = await stack.driver(c.driver);
      if (driver.probeHealth && c.health === null) c.health = await driver.probeHealth(stack.project, c);
    }),
  );
  return containers;
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
