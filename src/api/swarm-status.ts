// What runs of a Swarm stack: its services' tasks (`ps`) with the node each is on, the state it should be in and the
// one it reports, and its error in the Swarm's own words. A task on a node that went down is "lost": a Swarm has no
// such state (its last report stays "running"), so it is read from the node being down and the task being shut down.
import type { ObservedSwarmService, ObservedTask } from '../model/observed.js';
import { isCurrentTask, isLostTask, taskDisplayState } from '../model/swarm-tasks.js';
import { selectServices } from '../planner/plan.js';
import type { Stack } from './stack.js';

/** One task of a Swarm service, as `ps` lists it. */
export interface SwarmTaskStatus {
  /** the service's name in the Boltfile */
  service: string;
  /** "web.2" (replicated: the slot) or "web.sswn2" (global and jobs: the node) */
  name: string;
  id: string;
  /** the node's hostname; null while the task waits for one */
  node: string | null;
  desiredState: string;
  /** what the task reports, or "lost" when its node went down under it */
  state: string;
  /** the task's error, verbatim ("task: non-zero exit (1)", "no suitable node (…)") */
  error: string | null;
  message: string;
  exitCode: number | null;
  image: string;
  /** host-mode ports it publishes; ingress ports are the service's (`ports` of the service) */
  ports: string[];
  /** when it last reported, on the manager's clock */
  since: string;
}

/** Which tasks `swarmTasks` lists: of some services, and with their history (replaced and failed ones). */
export interface SwarmStatusOptions {
  services?: string[];
  /** every task the manager keeps, not only the current ones and the lost */
  all?: boolean;
}

function taskName(svc: ObservedSwarmService, t: ObservedTask): string {
  return `${svc.service}.${t.slot ?? t.node ?? t.nodeId?.slice(0, 12) ?? t.id.slice(0, 12)}`;
}

/** The tasks of the stack's Swarm services, by service and slot; empty when it has none. */
export async function swarmTasks(stack: Stack, options: SwarmStatusOptions = {}): Promise<SwarmTaskStatus[]> {
  if (![...Object.values(stack.project.services)].some((s) => s.driver === 'swarm') && !stack.project.swarm) return [];
  const observed = await stack.observe();
  const wanted = options.services?.length ? new Set(selectServices(stack.project, options.services, true)) : null;
  const rows: SwarmTaskStatus[] = [];
  for (const svc of observed.swarmServices ?? []) {
    if (wanted && !wanted.has(svc.service)) continue;
    for (const t of svc.tasks) {
      if (!options.all && !isCurrentTask(t) && !isLostTask(t)) continue;
      rows.push({
        service: svc.service,
        name: taskName(svc, t),
        id: t.id,
        node: t.node,
        desiredState: t.desiredState,
        state: taskDisplayState(t),
        error: t.error,
        message: t.message,
        exitCode: t.exitCode,
        image: svc.image.replace(/@sha256:[0-9a-f]{12}[0-9a-f]*$/, (d) => `@${d.slice(1, 20)}…`),
        ports: t.ports,
        since: t.timestamp,
      });
    }
  }
  return rows.sort((a, b) => a.service.localeCompare(b.service) || a.name.localeCompare(b.name, undefined, { numeric: true }) || a.since.localeCompare(b.since));
}
