// Which live replicas a compose-style command acts on: those of the named services (all when none are named), one-off
// containers left out, sorted by service and replica; and, for a capability a driver lacks, which services that
// leaves out, so the command can say so.
import type { Driver } from '../drivers/driver.js';
import { UserError } from '../model/errors.js';
import type { ObservedContainer } from '../model/observed.js';
import { checkServiceNames } from '../planner/plan.js';
import type { Stack } from './stack.js';
import { compareText } from '../model/order.js';

/** Which replicas an operation acts on: the named services (default: all), and orphans too if asked. */
export interface ReplicaSelection {
  services?: string[];
  /** also replicas of services no longer in the Boltfile */
  orphans?: boolean;
}

export function byServiceAndReplica(a: ObservedContainer, b: ObservedContainer): number {
  return compareText(a.service, b.service) || a.replica - b.replica || compareText(a.name, b.name);
}

/** The project's replicas of `services` (all when empty), one-offs left out. */
export async function replicasOf(stack: Stack, selection: ReplicaSelection = {}): Promise<ObservedContainer[]> {
  const names = selection.services ?? [];
  checkServiceNames(stack.project, names);
  const wanted = names.length ? new Set(names) : null;
  const { containers } = await stack.observe();
  const found = containers
    .filter((c) => !c.oneoff && (wanted ? wanted.has(c.service) : selection.orphans || stack.project.services[c.service] !== undefined))
    .sort(byServiceAndReplica);
  // Swarm services have tasks on many nodes, not replicas here: say so rather than "nothing is running".
  const swarm = (names.length ? names : Object.keys(stack.project.services)).filter((n) => stack.project.services[n]?.driver === 'swarm');
  if (!found.length && swarm.length && swarm.length === (names.length || Object.keys(stack.project.services).length)) {
    const who = swarm.length === 1 ? `service ${swarm[0]} runs` : `services ${swarm.slice(0, 5).join(', ')}${swarm.length > 5 ? ', …' : ''} run`;
    throw new UserError(`${who} on a Swarm, as tasks on its nodes: this command acts on one engine's containers and host processes; \`surge ps\`, \`surge logs\` and \`surge exec\` reach Swarm tasks`, 'precondition');
  }
  return found;
}

/** The replica `index` (1-based) of `service`, or a user error naming what exists. */
export async function replicaOf(stack: Stack, service: string, index = 1): Promise<ObservedContainer> {
  const all = (await replicasOf(stack, { services: [service] })).filter((c) => c.driver === stack.project.services[service]?.driver);
  const c = all.find((x) => x.replica === index);
  if (c) return c;
  if (!all.length) throw new UserError(`service ${service} has no container or process; run \`surge up\` first`, 'precondition');
  throw new UserError(`service ${service} has no replica ${index} (it has ${all.map((x) => x.replica).join(', ')})`, 'precondition');
}

export interface Capable<K extends keyof Driver> {
  container: ObservedContainer;
  driver: Driver & Required<Pick<Driver, K>>;
}

/**
 * Splits replicas into those whose driver can do `method` (with their driver) and the services of those whose
 * driver cannot ("pause does not apply to a host process").
 */
export async function withCapability<K extends keyof Driver>(stack: Stack, containers: ObservedContainer[], method: K): Promise<{ capable: Capable<K>[]; notApplicable: string[] }> {
  const capable: Capable<K>[] = [];
  const notApplicable = new Set<string>();
  for (const c of containers) {
    const driver = await stack.driver(c.driver);
    if (typeof driver[method] === 'function') capable.push({ container: c, driver: driver as Driver & Required<Pick<Driver, K>> });
    else notApplicable.add(c.service);
  }
  return { capable, notApplicable: [...notApplicable].sort() };
}
