// Plans of the commands that act on what exists: start/stop/restart, build/pull, and what a one-off `run` needs.
import type { Project, Service } from '../model/model.js';
import { imageRef, serviceActionId } from '../model/naming.js';
import type { ObservedState } from '../model/observed.js';
import type { Action, Plan } from '../model/plan-types.js';
import { observedFingerprint, summarize } from './fingerprint.js';
import { plan, type PlanOptions } from './plan-up.js';
import { selectServices } from './select.js';
import { byReplica } from './service-state.js';

export type LifecycleOp = 'start' | 'stop' | 'restart';

/** `surge start|stop|restart [SERVICE…]`: acts on existing containers only, in dependency order (stop: reverse). */
export function planLifecycle(project: Project, observed: ObservedState, op: LifecycleOp, services: string[] | undefined, timeoutSeconds: number | null = null): Plan {
  const selected = new Set(services?.length ? selectServices(project, services, true) : Object.keys(project.services));
  // A replacement's unfinished new container is not the replica: `up` finishes or undoes it.
  const containers = observed.containers.filter((c) => !c.oneoff && !c.pendingReplacement && selected.has(c.service) && project.services[c.service]).sort(byReplica);
  const actions: Action[] = [];
  const idsOf = new Map<string, { stop: string[]; start: string[] }>();
  for (const c of containers) {
    const e = idsOf.get(c.service) ?? { stop: [], start: [] };
    const base = serviceActionId(c.service, c.replica);
    if (op !== 'start' && (c.state === 'running' || c.state === 'restarting' || c.state === 'paused')) e.stop.push(op === 'restart' ? `${base}/stop` : base);
    if (op === 'restart' || c.state !== 'running') e.start.push(op === 'restart' ? `${base}/start` : base);
    idsOf.set(c.service, e);
  }
  let unchanged = 0;
  for (const c of containers) {
    const s = project.services[c.service] as Service;
    const base = serviceActionId(c.service, c.replica);
    const common = { kind: 'service' as const, name: c.service, driver: c.driver, replica: c.replica, containerId: c.id, containerName: c.name };
    const dependents = Object.values(project.services).filter((x) => x.depends_on[c.service] && selected.has(x.name));
    const running = c.state === 'running' || c.state === 'restarting' || c.state === 'paused';
    if (op !== 'start' && running) {
      actions.push({
        ...common,
        id: op === 'restart' ? `${base}/stop` : base,
        op: 'stop',
        reason: op,
        dependsOn: dependents.flatMap((d) => idsOf.get(d.name)?.stop ?? []),
        timeoutSeconds,
      });
    } else if (op === 'stop') unchanged++;
    if (op === 'restart' || (op === 'start' && !running)) {
      const deps = Object.keys(s.depends_on).filter((d) => selected.has(d));
      actions.push({
        ...common,
        id: op === 'restart' ? `${base}/start` : base,
        op: 'start',
        reason: op,
        dependsOn: [...(op === 'restart' && running ? [`${base}/stop`] : []), ...deps.flatMap((d) => idsOf.get(d)?.start ?? [])],
        waitFor: deps.map((d) => ({ service: d, condition: s.depends_on[d]?.condition ?? 'service_started', required: s.depends_on[d]?.required ?? true })),
      });
    } else if (op === 'start') unchanged++;
  }
  return { project: project.name, actions, summary: summarize(actions, unchanged), notices: [], observedFingerprint: observedFingerprint(observed) };
}

/** `surge build` / `surge pull`: refresh the images of the selected services (build: those with `build`). */
export function planImages(project: Project, observed: ObservedState, mode: 'build' | 'pull', services: string[] | undefined): Plan {
  const selected = selectServices(project, services, true);
  const actions: Action[] = [];
  const seen = new Set<string>();
  for (const name of selected) {
    const s = project.services[name] as Service;
    if (s.driver !== 'docker' || (mode === 'build') !== Boolean(s.build)) continue;
    const ref = imageRef(project, s);
    if (seen.has(ref)) continue;
    seen.add(ref);
    const present = Boolean(observed.images[ref]);
    actions.push({
      id: `image:${ref}`,
      kind: 'image',
      name: ref,
      op: present ? 'update' : 'create',
      reason: mode === 'build' ? `build for ${name}` : `pull for ${name}`,
      dependsOn: [],
      driver: 'docker',
      image: { ref, buildService: mode === 'build' ? name : null, refresh: true },
    });
  }
  return { project: project.name, actions, summary: summarize(actions, 0), notices: [], observedFingerprint: observedFingerprint(observed) };
}

/**
 * `surge run SERVICE`: what the one-off container needs first: its image, networks and volumes, and (unless
 * noDeps) the services it depends on, converged as `up` would. The service's own containers are left alone.
 */
export function planRun(project: Project, observed: ObservedState, service: string, options: PlanOptions): Plan {
  const full = plan(project, observed, { ...options, services: [service], noDeps: options.noDeps ?? false });
  const actions = full.actions.filter((a) => !(a.kind === 'service' && a.name === service));
  const kept = new Set(actions.map((a) => a.id));
  const pruned = actions.map((a) => ({ ...a, dependsOn: a.dependsOn.filter((d) => kept.has(d)) }));
  return { ...full, actions: pruned, summary: summarize(pruned, full.summary.unchanged) };
}
