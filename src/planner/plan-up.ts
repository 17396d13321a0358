// The planner's main function: (desired model, observed state, options) → the Plan `up` carries out. Pure: no I/O,
// no clock. Images first, then networks and volumes, then each service's replicas in dependency order, then orphans.
import { canonicalServiceConfig, configSaltOf, projectConfigSalt, serviceConfigHash } from '../model/config-hash.js';
import { UserError } from '../model/errors.js';
import type { Project, Service } from '../model/model.js';
import { containerName, imageRef, serviceActionId } from '../model/naming.js';
import type { ObservedContainer, ObservedState } from '../model/observed.js';
import type { Action, Change, Plan, WaitFor } from '../model/plan-types.js';
import { diffConfigs, summarizeReasons } from './config-diff.js';
import { observedFingerprint, summarize } from './fingerprint.js';
import { serviceGraph } from './graph.js';
import { renameReason, sortOutReplacements, staleReason } from './interrupted-replacement.js';
import { imageActions, resourceActions, type ImagePolicy } from './plan-resources.js';
import { encryptionCheck, swarmNotices, swarmOrphanActions, swarmServiceActions } from './plan-swarm.js';
import { selectServices } from './select.js';
import { byReplica, isFinishedOneShot, isRunning, policyRestarts, stoppedReason } from './service-state.js';
import { compareText } from '../model/order.js';

/** What `plan` and `up` plan for: which services, recreate or not, orphans, images (build, pull). */
export interface PlanOptions extends ImagePolicy {
  /** only these services (and, unless noDeps, what they depend on) */
  services?: string[];
  noDeps?: boolean;
  forceRecreate?: boolean;
  noRecreate?: boolean;
  /** true: remove every orphan; a list: only orphans of these services (watch removes what it saw created) */
  removeOrphans?: boolean | string[];
  /**
   * Supervision (watch's drift checks): restart a stopped container only when its restart policy asks for it,
   * the way the engine would, instead of starting everything that is not running. Nothing else: no pull, build,
   * create or recreate, which are a converge's (a failed converge is not retried every poll, nor taken for a crash).
   */
  restartPolicyOnly?: boolean;
  /**
   * Watch's re-converge after a Boltfile edit: a stopped container of a service the edit did not touch stays
   * stopped (a one-shot job is not run again on every save), unless a service this plan creates or recreates
   * depends on it. `up` starts everything, as compose does.
   */
  keepStopped?: boolean;
  /** with keepStopped: services to start anyway (computed by plan itself) */
  mustStart?: string[];
  /** services not to start again (flapping); they are reported in the notices */
  hold?: string[];
  /** stop timeout for removals, seconds */
  timeoutSeconds?: number | null;
}

export function plan(project: Project, observed: ObservedState, options: PlanOptions = {}): Plan {
  if (!options.keepStopped || options.mustStart) return planOnce(project, observed, options);
  // First the changes alone; then whatever they depend on (transitively) that is not running is started too.
  const first = planOnce(project, observed, { ...options, mustStart: [] });
  const changing = first.actions.filter((a) => a.kind === 'service' && (a.op === 'create' || a.op === 'recreate')).map((a) => a.name);
  const graph = serviceGraph(project);
  const need = graph.withAncestors(changing.flatMap((c) => graph.predecessors(c)));
  return need.size ? planOnce(project, observed, { ...options, mustStart: [...need] }) : first;
}

function planOnce(project: Project, observed: ObservedState, options: PlanOptions): Plan {
  const selected = selectServices(project, options.services, options.noDeps);
  const unrunnable = selected.filter((n) => {
    const s = project.services[n] as Service;
    return s.image === null && s.build === null && (s.driver !== 'process' || s.command === null);
  });
  if (unrunnable.length) {
    throw new UserError(
      `cannot run ${unrunnable.map((n) => `"${n}"`).join(', ')}: a service needs \`image\`, \`build\` or (for a host process) \`command\``,
      'config',
    );
  }

  const images = imageActions(project, observed, selected, options);
  const imageIds = images.map((a) => a.id);
  const resources = resourceActions(project, observed, selected, imageIds);
  const actions: Action[] = [...images, ...resources.actions];
  const notices = [...resources.notices];
  let unchanged = resources.unchanged;

  const byService = new Map<string, ObservedContainer[]>();
  for (const c of observed.containers) {
    if (c.oneoff) continue;
    const list = byService.get(c.service) ?? [];
    list.push(c);
    byService.set(c.service, list);
  }
  const swarmServices = new Map((observed.swarmServices ?? []).map((x) => [x.service, x]));
  notices.push(...encryptionCheck(project, observed, [...resources.networkActions.keys()]).notices);
  const serviceActionIds = new Map<string, string[]>();
  const selectedSet = new Set(selected);
  const salt = projectConfigSalt([...observed.containers, ...(observed.swarmServices ?? [])], observed.configSalt, project.name);
  for (const name of serviceGraph(project, selected).topologicalOrder()) {
    const s = project.services[name] as Service;
    const deps: string[] = [...imageIds];
    for (const n of Object.keys(s.networks)) {
      deps.push(...(resources.networkActions.get(n) ?? []));
    }
    for (const m of s.volumes) {
      const a = m.type === 'volume' && m.source ? resources.volumeActions.get(m.source) : undefined;
      if (a && !deps.includes(a)) deps.push(a);
    }
    const waitFor: WaitFor[] = [];
    for (const [dep, d] of Object.entries(s.depends_on).sort(([a], [b]) => compareText(a, b))) {
      if (!selectedSet.has(dep)) continue;
      deps.push(...(serviceActionIds.get(dep) ?? []));
      waitFor.push({ service: dep, condition: d.condition, required: d.required });
    }
    const edges = { dependsOn: deps, waitFor, imageIds, salt };
    const planned =
      s.driver === 'swarm'
        ? swarmServiceActions(project, s, swarmServices.get(name), byService.get(name) ?? [], observed, options, edges)
        : serviceActions(project, s, byService.get(name) ?? [], observed, options, edges);
    actions.push(...planned.actions);
    notices.push(...planned.notices);
    unchanged += planned.unchanged;
    serviceActionIds.set(name, planned.ids);
    if (s.gpu) for (const what of s.gpu.unenforced) notices.push(`service ${name}: ${what} is not enforced by this engine`);
  }
  const orphans = orphanActions(project, byService, options, imageIds);
  const swarmOrphans = swarmOrphanActions(project, observed, options, imageIds);
  actions.push(...orphans.actions, ...swarmOrphans.actions);
  notices.push(...orphans.notices, ...swarmOrphans.notices, ...swarmNotices(project, observed, selected, actions));

  const planned = options.restartPolicyOnly ? restartsOnly(actions) : actions;
  return { project: project.name, actions: planned, summary: summarize(planned, unchanged), notices, observedFingerprint: observedFingerprint(observed) };
}

interface ServicePlan {
  actions: Action[];
  notices: string[];
  unchanged: number;
  /** ids of the actions that create, recreate or start this service's replicas: its dependents wait for them */
  ids: string[];
}

/** What a replica's create, recreate and start actions share. */
interface ReplicaCommon {
  name: string;
  driver: Service['driver'];
  dependsOn: string[];
  waitFor: WaitFor[];
  id: string;
  replica: number;
  containerName: string;
  configHash: string;
  /** absent from the action when the service has no sensitive values */
  configSalt: string | undefined;
}

/**
 * A replica's action, its keys in the order `plan --json` has always printed them. Built as one literal: spreading a
 * shared base into each action (`{ ...base, ...salted, … }`) took V8's slow path, some 5 µs an action (a third of
 * planning 5,000 services).
 */
function replicaAction(c: ReplicaCommon, op: Action['op'], reason: string, containerId: string | null): Action {
  const { name, driver, dependsOn, waitFor, id, replica, containerName, configHash, configSalt } = c;
  return configSalt === undefined
    ? { kind: 'service', name, driver, dependsOn, waitFor, id, replica, containerName, configHash, op, reason, containerId }
    : { kind: 'service', name, driver, dependsOn, waitFor, id, replica, containerName, configHash, configSalt, op, reason, containerId };
}

/** One service's replicas: create the missing, recreate the changed, start the stopped, remove the extra. */
function serviceActions(
  project: Project,
  s: Service,
  live: ObservedContainer[],
  observed: ObservedState,
  options: PlanOptions,
  edges: { dependsOn: string[]; waitFor: WaitFor[]; imageIds: string[]; salt: string },
): ServicePlan {
  const out: ServicePlan = { actions: [], notices: [], unchanged: 0, ids: [] };
  const name = s.name;
  // New objects get the project's salt; a live one is compared in the form it was labelled with (config-hash.ts).
  const desired = canonicalServiceConfig(s, edges.salt);
  const hash = serviceConfigHash(s, edges.salt, desired);
  const salted = desired.secret_salt !== undefined ? edges.salt : undefined;
  const expectedFor = (c: ObservedContainer): { config: ReturnType<typeof canonicalServiceConfig>; hash: string } => {
    const theirs = configSaltOf(c.config);
    return theirs === edges.salt ? { config: desired, hash } : { config: canonicalServiceConfig(s, theirs), hash: serviceConfigHash(s, theirs) };
  };
  const common = (r: number, id: string, cleanup: readonly string[]): ReplicaCommon => ({
    name,
    driver: s.driver,
    dependsOn: [...edges.dependsOn, ...cleanup],
    waitFor: edges.waitFor,
    id,
    replica: r,
    containerName: (r === 1 ? s.container_name : null) ?? containerName(project.name, name, r),
    configHash: hash,
    configSalt: salted,
  });
  // Nothing live (a first `up`, every service of a new stack): each replica is created, and none of the
  // reconciliation below has anything to look at (5,000 services: its sorting, maps and closures were a fifth of
  // planning them).
  if (live.length === 0) {
    for (let r = 1; r <= s.replicas; r++) {
      const id = serviceActionId(name, r);
      out.actions.push(replicaAction(common(r, id, []), 'create', 'not found', null));
      out.ids.push(id);
    }
    return out;
  }
  const ref = imageRef(project, s);
  const liveImage = s.driver === 'docker' ? (observed.images[ref] ?? null) : null;
  const all = [...live].sort(byReplica);
  const base = { kind: 'service' as const, name, driver: s.driver, dependsOn: edges.dependsOn, waitFor: edges.waitFor };
  const removal = (c: ObservedContainer, id: string, reason: string, driver = c.driver): Action => ({
    ...base,
    id,
    driver,
    op: 'remove',
    reason,
    dependsOn: edges.imageIds,
    waitFor: [],
    replica: c.replica,
    containerId: c.id,
    containerName: c.name,
    timeoutSeconds: options.timeoutSeconds ?? null,
  });

  // A service that moved to another driver leaves its old objects behind as removals.
  for (const c of all.filter((x) => x.driver !== s.driver)) {
    out.actions.push(removal(c, `${serviceActionId(name, c.replica)}@${c.driver}`, `moved to the ${s.driver} driver`));
  }
  // A replacement a killed run left half done is finished or undone first (interrupted-replacement.ts).
  const { containers: mine, leftovers } = sortOutReplacements(all.filter((c) => c.driver === s.driver), hash);
  const cleanup = new Map<number, string[]>();
  for (const { container: c, reason } of leftovers) {
    const id = `${serviceActionId(name, c.replica)}:${c.id.slice(0, 12)}`;
    out.actions.push(removal(c, id, reason));
    cleanup.set(c.replica, [...(cleanup.get(c.replica) ?? []), id]);
  }
  const seen = new Set<number>();
  for (const c of mine) {
    const duplicate = seen.has(c.replica);
    seen.add(c.replica);
    if (c.replica > s.replicas || duplicate) {
      const id = duplicate ? `${serviceActionId(name, c.replica)}:${c.id.slice(0, 12)}` : serviceActionId(name, c.replica);
      out.actions.push(removal(c, id, duplicate ? 'duplicate replica' : `scale down (replicas ${mine.length} → ${s.replicas})`));
    }
  }
  for (let r = 1; r <= s.replicas; r++) {
    const id = serviceActionId(name, r);
    const c = mine.find((x) => x.replica === r);
    const replica = common(r, id, cleanup.get(r) ?? []);
    if (!c) {
      out.actions.push(replicaAction(replica, 'create', 'not found', null));
      out.ids.push(id);
      continue;
    }
    // A record the driver could not trust (corrupt, stale pid) is said out loud, never silently replaced.
    for (const problem of c.problems) out.notices.push(`${c.name}: ${problem}`);
    const expected = expectedFor(c);
    const hashChanged = c.configHash !== expected.hash;
    const imageChanged = liveImage !== null && c.imageId !== null && c.imageId !== liveImage;
    if (options.forceRecreate || hashChanged || imageChanged) {
      const { reason, changes } = options.forceRecreate
        ? { reason: 'recreate requested (--force-recreate)', changes: undefined }
        : recreateReason(c, s, expected.config, hashChanged, imageChanged, ref);
      if (!options.noRecreate || options.forceRecreate) {
        const action = replicaAction(replica, 'recreate', c.pendingReplacement ? staleReason(reason) : reason, c.id);
        if (changes) action.changes = changes;
        out.actions.push(action);
        out.ids.push(id);
        continue;
      }
      // Say what --no-recreate leaves behind, so "no changes" is never read as "matches the Boltfile".
      out.notices.push(`${id} differs from the Boltfile (${reason}) and is kept as it is (--no-recreate)`);
    }
    if (c.pendingReplacement) {
      // The replica has no container under its own name: never "unchanged", whatever the options.
      const action = replicaAction(replica, 'start', renameReason(c, replica.containerName), c.id);
      action.renameFrom = c.name;
      out.actions.push(action);
      out.ids.push(id);
      continue;
    }
    if (isRunning(c) || isFinishedOneShot(c, s, project)) {
      out.unchanged++;
      continue;
    }
    if (options.hold?.includes(name)) {
      out.notices.push(`service ${name} is held: it kept crashing (${stoppedReason(c)}), so it is not restarted until its config or sources change`);
      out.unchanged++;
      continue;
    }
    if ((options.restartPolicyOnly && !policyRestarts(c, s)) || (options.keepStopped && !options.mustStart?.includes(name))) {
      out.unchanged++;
      continue;
    }
    out.actions.push(replicaAction(replica, 'start', stoppedReason(c), c.id));
    out.ids.push(id);
  }
  return out;
}

/** Why a replica is recreated ("env MODE changed", "image nginx:1.27 updated") and, when known, what differs. */
function recreateReason(
  c: ObservedContainer,
  s: Service,
  desired: ReturnType<typeof canonicalServiceConfig>,
  hashChanged: boolean,
  imageChanged: boolean,
  ref: string,
): { reason: string; changes: Change[] | undefined } {
  const reasons: string[] = [];
  let changes: Change[] | undefined;
  if (hashChanged) {
    if (c.config) {
      const diff = diffConfigs(c.config, desired);
      reasons.push(...diff.reasons);
      changes = diff.changes;
    }
    if (!reasons.length) reasons.push(c.config === null && c.problems.length ? 'state record not trusted' : 'config changed');
  }
  if (imageChanged) reasons.push(s.build ? 'image rebuilt' : `image ${ref} updated`);
  return { reason: summarizeReasons(reasons), changes };
}

/** Objects of services that are no longer in the Boltfile: removed when asked, otherwise a notice each. */
function orphanActions(project: Project, byService: Map<string, ObservedContainer[]>, options: PlanOptions, imageIds: string[]): { actions: Action[]; notices: string[] } {
  const actions: Action[] = [];
  const notices: string[] = [];
  for (const [service, list] of [...byService.entries()].sort(([a], [b]) => compareText(a, b))) {
    // A service the active profiles leave out is still the project's: its containers are not orphans (compose's rule).
    if (project.services[service] || project.disabled_services.includes(service)) continue;
    for (const c of [...list].sort(byReplica)) {
      const remove = Array.isArray(options.removeOrphans) ? options.removeOrphans.includes(service) : options.removeOrphans;
      if (remove) {
        // An orphan's interrupted replacement shares its replica number: the container id tells them apart.
        const base = serviceActionId(service, c.replica);
        actions.push({
          id: actions.some((a) => a.id === base) ? `${base}:${c.id.slice(0, 12)}` : base,
          kind: 'service',
          name: service,
          op: 'remove',
          reason: 'orphan',
          dependsOn: imageIds,
          driver: c.driver,
          replica: c.replica,
          containerId: c.id,
          containerName: c.name,
          timeoutSeconds: options.timeoutSeconds ?? null,
        });
      } else {
        notices.push(`orphan ${c.name}: service "${service}" is no longer in the Boltfile; remove it with --remove-orphans`);
      }
    }
  }
  return { actions, notices };
}

/** The start actions of existing containers, with their dependencies on actions left out removed. */
function restartsOnly(actions: Action[]): Action[] {
  const starts = actions.filter((a) => a.kind === 'service' && a.op === 'start');
  const ids = new Set(starts.map((a) => a.id));
  return starts.map((a) => ({ ...a, dependsOn: a.dependsOn.filter((d) => ids.has(d)) }));
}
