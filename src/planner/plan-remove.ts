// `surge rm` and `surge create`: plans derived from what exists and from `up`'s plan. Pure, like every planner
// function.
import type { Project } from '../model/model.js';
import { serviceActionId } from '../model/naming.js';
import type { ObservedState } from '../model/observed.js';
import type { Action, Plan } from '../model/plan-types.js';
import { observedFingerprint, summarize } from './fingerprint.js';
import { plan, type PlanOptions } from './plan-up.js';
import { selectServices } from './select.js';
import { byReplica, isRunning } from './service-state.js';

export interface RemoveOptions {
  services?: string[];
  /** stop running replicas first and remove them too (`rm -s`); otherwise only stopped ones go */
  stop?: boolean;
  /** also remove their anonymous volumes (`rm -v`) */
  volumes?: boolean;
  timeoutSeconds?: number | null;
}

/**
 * `surge rm`: removes the stopped replicas of the selected services (with `stop`, the running ones too, dependents
 * first); networks, volumes and images stay. Host processes: their records and logs go.
 */
export function planRemove(project: Project, observed: ObservedState, options: RemoveOptions = {}): Plan {
  const selected = new Set(selectServices(project, options.services, true));
  const live = (c: (typeof observed.containers)[number]): boolean => isRunning(c) || c.state === 'paused';
  const containers = observed.containers.filter((c) => !c.oneoff && selected.has(c.service) && (options.stop || !live(c))).sort(byReplica);
  const idOf = (c: (typeof containers)[number]): string => serviceActionId(c.service, c.replica) + (containers.filter((x) => x.service === c.service && x.replica === c.replica).length > 1 ? `@${c.driver}` : '');
  const actions: Action[] = containers.map((c) => ({
    id: idOf(c),
    kind: 'service',
    name: c.service,
    op: 'remove',
    reason: live(c) ? 'rm --stop' : 'stopped',
    // A replica is removed after those that depend on it (a running one is stopped first).
    dependsOn: containers.filter((d) => project.services[d.service]?.depends_on[c.service]).map(idOf),
    driver: c.driver,
    replica: c.replica,
    containerId: c.id,
    containerName: c.name,
    timeoutSeconds: options.timeoutSeconds ?? null,
    ...(options.volumes ? { removeVolumes: true } : {}),
  }));
  return { project: project.name, actions, summary: summarize(actions, 0), notices: [], observedFingerprint: observedFingerprint(observed) };
}

/**
 * `surge create`: `up`'s plan, except that the containers it creates or recreates are left created, not started
 * (`noStart`), nothing stopped is started, and no dependency condition is waited for (nothing runs). A host process
 * cannot exist without running: its actions are left out, with a notice.
 */
export function planCreate(project: Project, observed: ObservedState, options: PlanOptions = {}): Plan {
  const full = plan(project, observed, options);
  const notices = [...full.notices];
  const processes = new Set<string>();
  const kept: Action[] = [];
  for (const a of full.actions) {
    if (a.kind !== 'service' || a.op === 'remove') {
      kept.push(a);
      continue;
    }
    if (a.driver === 'process') {
      processes.add(a.name);
      continue;
    }
    if (a.op === 'create' || a.op === 'recreate') kept.push({ ...a, noStart: true, waitFor: [], reason: `${a.reason}; not started` });
  }
  for (const name of [...processes].sort()) notices.push(`service ${name} is a host process: a process cannot be created without starting it; \`surge up\` starts it`);
  const ids = new Set(kept.map((a) => a.id));
  const actions = kept.map((a) => ({ ...a, dependsOn: a.dependsOn.filter((d) => ids.has(d)) }));
  return { ...full, actions, notices, summary: summarize(actions, full.summary.unchanged) };
}
