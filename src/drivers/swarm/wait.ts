// depends_on conditions and `up --wait` on a Swarm, read from the manager: every desired task running (started),
// running after its healthcheck passed (healthy: a Swarm reports "starting" until then), or a job's completions done.
// A wait fails, with the tasks' own error messages, when the tasks keep failing or cannot be placed.
import { UserError } from '../../model/errors.js';
import type { DependencyCondition, Project } from '../../model/model.js';
import { LABEL } from '../../model/naming.js';
import type { ObservedTask } from '../../model/observed.js';
import { isStartedTask, isRunningTask } from '../../model/swarm-tasks.js';
import type { ActionContext } from '../driver.js';
import type { EngineApi } from '../docker/engine-api.js';
import { sleep } from '../../model/sleep.js';
import { toObservedNode, toObservedTask, type SwarmNodeInfo, type SwarmServiceInfo, type SwarmTaskInfo } from './observe.js';
import { compareText } from '../../model/order.js';

const POLL_MS = 500;
/** Tasks that failed since the service last changed: after this many, its tasks are said to keep failing. */
const FAILURES = 3;
/** How long a task may wait for a node that can take it before the wait says why it cannot be placed. */
const UNPLACED_MS = 15_000;
const GLOBAL_PLAN_MS = 5_000;

export interface Progress {
  desired: number;
  running: number;
  started: number;
  completed: number;
  /** failed tasks of the current spec, newest first */
  failures: ObservedTask[];
  /** tasks that cannot be placed, with the scheduler's reason */
  unplaced: ObservedTask[];
  /** no task is on its way: nothing will change without a new spec */
  stalled: boolean;
}

/** Where a service's tasks are, counted against what the service wants. Pure. */
export function progressOf(svc: SwarmServiceInfo, tasks: ObservedTask[], healthchecked: boolean): Progress {
  const since = svc.UpdatedAt;
  const current = tasks.filter((t) => t.createdAt >= since);
  const failures = current.filter((t) => t.state === 'failed' || t.state === 'rejected').sort((a, b) => compareText(b.timestamp, a.timestamp));
  const unplaced = tasks.filter((t) => t.desiredState === 'running' && t.state === 'pending' && t.error);
  const live = tasks.filter((t) => t.desiredState === 'running' || t.desiredState === 'ready');
  // A replicated service wants its replica count; a global one as many tasks as the manager plans (known once it did).
  const replicas = svc.Spec.Mode?.Replicated?.Replicas;
  return {
    desired: replicas ?? svc.ServiceStatus?.DesiredTasks ?? 0,
    running: tasks.filter(isRunningTask).length,
    // "starting" is a started container waiting for its first healthy check; without a check it is a passing moment.
    started: tasks.filter(healthchecked ? isStartedTask : isRunningTask).length,
    completed: tasks.filter((t) => t.state === 'complete').length,
    failures,
    unplaced,
    stalled: live.length === 0,
  };
}

function describe(p: Progress): string {
  const parts = [`${p.running}/${p.desired} running`];
  const why = p.unplaced[0]?.error ?? p.failures[0]?.error;
  if (why) parts.push(why);
  return parts.join('; ');
}

export async function waitForSwarmService(api: EngineApi, project: Project, service: string, condition: DependencyCondition, ctx: ActionContext): Promise<void> {
  const s = project.services[service];
  if (condition === 'service_healthy' && (!s?.healthcheck || s.healthcheck.test[0] === 'NONE')) {
    throw new UserError(`service ${service} has no healthcheck, so service_healthy can never be met`, 'wait-failed');
  }
  const labels = { label: [`${LABEL.project}=${project.name}`, `${LABEL.service}=${service}`] };
  let told = '';
  let unplacedSince: number | null = null;
  for (;;) {
    const [services, rawTasks, nodes] = await Promise.all([
      api.get<SwarmServiceInfo[]>('/services', { query: { status: true, filters: labels } }),
      api.get<SwarmTaskInfo[]>('/tasks', { query: { filters: labels } }),
      api.get<SwarmNodeInfo[]>('/nodes'),
    ]);
    const svc = services[0];
    if (!svc) throw new UserError(`service ${service} is not on the Swarm`, 'wait-failed');
    const byId = new Map(nodes.map((n) => [n.ID, toObservedNode(n)]));
    const tasks = rawTasks.filter((t) => t.ServiceID === svc.ID).map((t) => toObservedTask(t, byId));
    const p = progressOf(svc, tasks, Boolean(s?.healthcheck && s.healthcheck.test[0] !== 'NONE'));
    const job = Boolean(svc.Spec.Mode?.ReplicatedJob || svc.Spec.Mode?.GlobalJob);
    if (condition === 'service_completed_successfully' || job) {
      if (p.completed >= p.desired && p.desired > 0) return;
      if (p.desired === 0 && job) return;
    } else {
      const count = condition === 'service_healthy' ? p.running : p.started;
      // A global service's desired count is 0 until the manager planned its tasks: give it a moment.
      const planned = p.desired > 0 || tasks.length > 0 || Date.now() - Date.parse(svc.UpdatedAt) > GLOBAL_PLAN_MS;
      if (planned && count >= p.desired) return;
    }
    if (p.failures.length >= FAILURES || (p.stalled && p.failures.length)) {
      const errors = [...new Set(p.failures.map((t) => t.error ?? `exit ${t.exitCode ?? '?'}`))].slice(0, 3).join('; ');
      throw new UserError(`service ${service}: its tasks keep failing (${p.failures.length} since it last changed): ${errors}`, 'wait-failed');
    }
    if (p.unplaced.length) {
      unplacedSince ??= Date.now();
      if (Date.now() - unplacedSince > UNPLACED_MS) {
        throw new UserError(`service ${service}: ${p.unplaced.length} task(s) cannot be placed: ${p.unplaced[0]?.error ?? ''}`, 'wait-failed');
      }
    } else unplacedSince = null;
    const line = `waiting for ${service}: ${describe(p)}`;
    if (line !== told) {
      told = line;
      ctx.log(line);
    }
    await sleep(POLL_MS, ctx.signal);
  }
}
