// The planner: a pure function of (desired model, observed state, options) → Plan. No I/O, no clock.
import { builtImageName, containerName } from '../drivers/labels.js';
import { UserError } from '../errors.js';
import { canonicalServiceConfig, hashCanonical, networkConfigHash, sha256, stableStringify, volumeConfigHash, type Canonical } from './config-hash.js';
import { diffConfigs, summarizeReasons } from './config-diff.js';
import { topologicalOrder } from './graph.js';
import type { Project, Service } from './model.js';
import type { ObservedContainer, ObservedState } from './observed.js';
import type { Action, Op, Plan, PlanSummary, WaitFor } from './plan-types.js';

export interface PlanOptions {
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
  /** rebuild images of services with `build` */
  build?: boolean;
  pull?: 'always' | 'missing' | 'never';
  /** stop timeout for removals, seconds */
  timeoutSeconds?: number | null;
}

export function imageRef(project: Project, s: Service): string {
  return s.image ?? builtImageName(project.name, s.name);
}

export function serviceActionId(service: string, replica: number): string {
  return `service:${service}#${replica}`;
}

/** The selected services plus, unless `noDeps`, everything they depend on. */
export function selectServices(project: Project, names: string[] | undefined, noDeps = false): string[] {
  if (!names || names.length === 0) return Object.keys(project.services).sort();
  for (const n of names) {
    if (!project.services[n]) {
      const known = Object.keys(project.services).sort().join(', ');
      throw new UserError(`no such service: ${n} (services: ${known || 'none'})`);
    }
  }
  const out = new Set<string>();
  const visit = (n: string): void => {
    if (out.has(n)) return;
    out.add(n);
    if (noDeps) return;
    for (const d of Object.keys(project.services[n]?.depends_on ?? {})) if (project.services[d]) visit(d);
  };
  names.forEach(visit);
  return [...out].sort();
}

export function observedFingerprint(observed: ObservedState): string {
  const containers = observed.containers
    .filter((c) => !c.oneoff)
    .map((c) => `${c.driver}|${c.id}|${c.state}|${c.configHash}`)
    .sort();
  const networks = observed.networks.map((n) => `${n.name}|${n.id}|${n.configHash}`).sort();
  const volumes = observed.volumes.map((v) => `${v.name}|${v.configHash}`).sort();
  // A retagged image changes what a saved plan would run, as much as a changed container does.
  const images = Object.entries(observed.images).map(([ref, id]) => `${ref}|${id ?? ''}`).sort();
  return sha256(stableStringify({ containers, networks, volumes, images } as Canonical)).slice(0, 32);
}

export function summarize(actions: Action[], unchanged: number): PlanSummary {
  const s: PlanSummary = { create: 0, recreate: 0, update: 0, start: 0, stop: 0, remove: 0, unchanged };
  for (const a of actions) s[a.op] += 1;
  return s;
}

/**
 * Whether a stopped container's restart policy asks surge to start it again. The container engine enforces restart
 * policies of containers itself (a container it left stopped was stopped on purpose); host processes have only surge.
 */
function policyRestarts(c: ObservedContainer, s: Service): boolean {
  if (c.driver === 'docker' || c.stoppedBySurge) return false;
  if (s.restart === 'always' || s.restart === 'unless-stopped') return true;
  if (s.restart.startsWith('on-failure')) return c.exitCode !== 0;
  return false;
}

/**
 * A finished one-shot job, not drift: it exited 0, is not meant to be restarted, and the Boltfile says it is meant to
 * complete (another service waits for service_completed_successfully on it). A long-running service stopped by hand
 * may also exit 0 (a graceful SIGTERM handler), so exit code alone cannot tell the two apart.
 */
function isCompleted(c: ObservedContainer, s: Service, project: Project): boolean {
  if (c.state !== 'exited' || c.exitCode !== 0) return false;
  if (s.restart !== 'no' && !s.restart.startsWith('on-failure')) return false;
  return Object.values(project.services).some((o) => o.depends_on[s.name]?.condition === 'service_completed_successfully');
}

function stoppedReason(c: ObservedContainer): string {
  if (c.state === 'created') return 'created, not started';
  if (c.state === 'exited') return c.exitCode === null ? 'stopped' : `stopped (exited ${c.exitCode})`;
  return c.state;
}

function byReplica(a: ObservedContainer, b: ObservedContainer): number {
  return a.replica - b.replica || a.name.localeCompare(b.name);
}

export function plan(project: Project, observed: ObservedState, options: PlanOptions = {}): Plan {
  if (!options.keepStopped || options.mustStart) return planOnce(project, observed, options);
  // First the changes alone; then whatever they depend on (transitively) that is not running is started too.
  const first = planOnce(project, observed, { ...options, mustStart: [] });
  const changing = new Set(first.actions.filter((a) => a.kind === 'service' && (a.op === 'create' || a.op === 'recreate')).map((a) => a.name));
  const need = new Set<string>();
  const visit = (n: string): void => {
    for (const d of Object.keys(project.services[n]?.depends_on ?? {})) {
      if (need.has(d) || !project.services[d]) continue;
      need.add(d);
      visit(d);
    }
  };
  changing.forEach(visit);
  return need.size ? planOnce(project, observed, { ...options, mustStart: [...need] }) : first;
}

function planOnce(project: Project, observed: ObservedState, options: PlanOptions): Plan {
  const selected = selectServices(project, options.services, options.noDeps);
  const selectedSet = new Set(selected);
  const actions: Action[] = [];
  const notices: string[] = [];
  let unchanged = 0;

  const unrunnable = selected.filter((n) => {
    const s = project.services[n] as Service;
    return s.image === null && s.build === null && (s.driver === 'docker' || s.command === null);
  });
  if (unrunnable.length) {
    throw new UserError(
      `cannot run ${unrunnable.map((n) => `"${n}"`).join(', ')}: a service needs \`image\`, \`build\` or (for a host process) \`command\``,
    );
  }

  // Images first: every other action waits for all of them, so a failed pull or build leaves the stack untouched.
  const imageActions = new Map<string, Action>();
  // Services that build an image come first: a service that only names the same image uses the built one.
  const buildersFirst = [...selected].sort((a, b) => Number(!project.services[a]?.build) - Number(!project.services[b]?.build));
  for (const name of buildersFirst) {
    const s = project.services[name] as Service;
    if (s.driver !== 'docker') continue;
    const ref = imageRef(project, s);
    if (imageActions.has(ref)) continue;
    const present = observed.images[ref] !== undefined && observed.images[ref] !== null;
    let op: Op | null = null;
    let reason = '';
    if (!present) {
      if (!s.build && options.pull === 'never') throw new UserError(`service ${name}: image "${ref}" is not present and --pull never forbids pulling it`);
      op = 'create';
      reason = s.build ? 'not present locally: build' : 'not present locally: pull';
    } else if (s.build && options.build) {
      op = 'update';
      reason = 'rebuild requested (--build)';
    } else if (!s.build && options.pull === 'always') {
      op = 'update';
      reason = 'pull requested (--pull always)';
    }
    if (op) {
      imageActions.set(ref, {
        id: `image:${ref}`,
        kind: 'image',
        name: ref,
        op,
        reason,
        dependsOn: [],
        driver: 'docker',
        image: { ref, buildService: s.build ? name : null, refresh: op === 'update' },
      });
    }
  }
  const imageIds = [...imageActions.values()].map((a) => a.id).sort();
  actions.push(...[...imageActions.values()].sort((a, b) => a.id.localeCompare(b.id)));

  // Networks and volumes the selected services use.
  const networkActions = new Map<string, string>();
  const volumeActions = new Map<string, string>();
  const usedNetworks = new Set<string>();
  const usedVolumes = new Set<string>();
  for (const name of selected) {
    const s = project.services[name] as Service;
    if (s.driver !== 'docker') continue;
    Object.keys(s.networks).forEach((n) => usedNetworks.add(n));
    s.volumes.forEach((m) => m.type === 'volume' && m.source && usedVolumes.add(m.source));
  }
  for (const name of [...usedNetworks].sort()) {
    const n = project.networks[name];
    if (!n) continue;
    if (n.external) {
      const engineName = n.external_name ?? n.name;
      if (observed.externals[engineName] === false) throw new UserError(`external network "${engineName}" (networks.${name}) does not exist; create it first`);
      continue;
    }
    const live = observed.networks.find((o) => o.name === name);
    const hash = networkConfigHash(n);
    if (!live) {
      const id = `network:${name}`;
      networkActions.set(name, id);
      actions.push({
        id,
        kind: 'network',
        name,
        op: 'create',
        reason: 'not found',
        dependsOn: imageIds,
        driver: 'docker',
        configHash: hash,
        network: { driver: n.driver, quic: n.quic, encryption: n.encryption },
      });
    } else {
      unchanged++;
      if (live.configHash !== hash) {
        notices.push(
          `network ${name} (${live.engineName}) differs from the Boltfile; surge does not replace a network in use: run \`surge down\` and \`surge up\` to apply it`,
        );
      }
    }
    if (n.encryption && n.driver !== 'overlay') {
      notices.push(`network ${name}: encryption = true is not enforced: traffic on this network stays on this host; encryption is enforced on swarm overlay networks`);
    }
  }
  for (const name of [...usedVolumes].sort()) {
    const v = project.volumes[name];
    if (!v) continue;
    if (v.external) {
      const engineName = v.external_name ?? v.name;
      if (observed.externals[engineName] === false) throw new UserError(`external volume "${engineName}" (volumes.${name}) does not exist; create it first`);
      continue;
    }
    const live = observed.volumes.find((o) => o.name === name);
    const hash = volumeConfigHash(v);
    if (!live) {
      const id = `volume:${name}`;
      volumeActions.set(name, id);
      actions.push({ id, kind: 'volume', name, op: 'create', reason: 'not found', dependsOn: imageIds, driver: 'docker', configHash: hash });
    } else {
      unchanged++;
      if (live.configHash !== hash) {
        notices.push(`volume ${name} (${live.engineName}) differs from the Boltfile; surge never recreates a volume (data is sacred): \`surge down --volumes\` removes it`);
      }
    }
  }

  // Containers, per service and replica.
  const byService = new Map<string, ObservedContainer[]>();
  for (const c of observed.containers) {
    if (c.oneoff) continue;
    const list = byService.get(c.service) ?? [];
    list.push(c);
    byService.set(c.service, list);
  }
  const serviceActionIds = new Map<string, string[]>();
  const order = topologicalOrder(
    selected,
    selected.flatMap((n) => Object.keys(project.services[n]?.depends_on ?? {}).filter((d) => selectedSet.has(d)).map((d) => ({ from: d, to: n }))),
  );
  for (const name of order) {
    const s = project.services[name] as Service;
    const desired = canonicalServiceConfig(s);
    const hash = hashCanonical(desired);
    const ref = imageRef(project, s);
    const liveImage = s.driver === 'docker' ? (observed.images[ref] ?? null) : null;
    const all = (byService.get(name) ?? []).sort(byReplica);
    const ids: string[] = [];
    const deps: string[] = [...imageIds];
    for (const n of Object.keys(s.networks)) {
      const a = networkActions.get(n);
      if (a) deps.push(a);
    }
    for (const m of s.volumes) {
      const a = m.type === 'volume' && m.source ? volumeActions.get(m.source) : undefined;
      if (a && !deps.includes(a)) deps.push(a);
    }
    const waitFor: WaitFor[] = [];
    for (const [dep, d] of Object.entries(s.depends_on).sort(([a], [b]) => a.localeCompare(b))) {
      if (!selectedSet.has(dep)) continue;
      deps.push(...(serviceActionIds.get(dep) ?? []));
      waitFor.push({ service: dep, condition: d.condition, required: d.required });
    }
    const base = { kind: 'service' as const, name, driver: s.driver, dependsOn: deps, waitFor };

    // A service that moved to another driver leaves its old objects behind as removals.
    for (const c of all.filter((c) => c.driver !== s.driver)) {
      actions.push({
        ...base,
        id: `${serviceActionId(name, c.replica)}@${c.driver}`,
        driver: c.driver,
        op: 'remove',
        reason: `moved to the ${s.driver} driver`,
        dependsOn: imageIds,
        waitFor: [],
        replica: c.replica,
        containerId: c.id,
        containerName: c.name,
        timeoutSeconds: options.timeoutSeconds ?? null,
      });
    }
    const mine = all.filter((c) => c.driver === s.driver);
    const seen = new Set<number>();
    for (const c of mine) {
      const duplicate = seen.has(c.replica);
      seen.add(c.replica);
      if (c.replica > s.replicas || duplicate) {
        actions.push({
          ...base,
          id: duplicate ? `${serviceActionId(name, c.replica)}:${c.id.slice(0, 12)}` : serviceActionId(name, c.replica),
          op: 'remove',
          reason: duplicate ? 'duplicate replica' : `scale down (replicas ${mine.length} → ${s.replicas})`,
          dependsOn: imageIds,
          waitFor: [],
          replica: c.replica,
          containerId: c.id,
          containerName: c.name,
          timeoutSeconds: options.timeoutSeconds ?? null,
        });
      }
    }
    for (let r = 1; r <= s.replicas; r++) {
      const id = serviceActionId(name, r);
      const c = mine.find((x) => x.replica === r);
      const common = { ...base, id, replica: r, containerName: containerName(project.name, name, r), configHash: hash };
      if (!c) {
        actions.push({ ...common, op: 'create', reason: 'not found', containerId: null });
        ids.push(id);
        continue;
      }
      // A record the driver could not trust (corrupt, stale pid) is said out loud, never silently replaced.
      for (const problem of c.problems) notices.push(`${c.name}: ${problem}`);
      const hashChanged = c.configHash !== hash;
      const imageChanged = liveImage !== null && c.imageId !== null && c.imageId !== liveImage;
      if (options.forceRecreate || hashChanged || imageChanged) {
        let reason = 'recreate requested (--force-recreate)';
        let changes = undefined;
        if (!options.forceRecreate) {
          const reasons: string[] = [];
          if (hashChanged) {
            if (c.config) {
              const diff = diffConfigs(c.config, desired);
              reasons.push(...diff.reasons);
              changes = diff.changes;
            }
            if (!reasons.length) reasons.push(c.config === null && c.problems.length ? 'state record unreadable' : 'config changed');
          }
          if (imageChanged) reasons.push(s.build ? 'image rebuilt' : `image ${ref} updated`);
          reason = summarizeReasons(reasons);
        }
        if (!options.noRecreate || options.forceRecreate) {
          actions.push({ ...common, op: 'recreate', reason, containerId: c.id, ...(changes ? { changes } : {}) });
          ids.push(id);
          continue;
        }
        // Say what --no-recreate leaves behind, so "no changes" is never read as "matches the Boltfile".
        notices.push(`${id} differs from the Boltfile (${reason}) and is kept as it is (--no-recreate)`);
      }
      if (c.state === 'running' || c.state === 'restarting' || isCompleted(c, s, project)) {
        unchanged++;
        continue;
      }
      if (options.hold?.includes(name)) {
        notices.push(`service ${name} is held: it kept crashing (${stoppedReason(c)}), so it is not restarted until its config or sources change`);
        unchanged++;
        continue;
      }
      if (options.restartPolicyOnly && !policyRestarts(c, s)) {
        unchanged++;
        continue;
      }
      if (options.keepStopped && !options.mustStart?.includes(name)) {
        unchanged++;
        continue;
      }
      actions.push({ ...common, op: 'start', reason: stoppedReason(c), containerId: c.id });
      ids.push(id);
    }
    serviceActionIds.set(name, ids);
    if (s.gpu) for (const what of s.gpu.unenforced) notices.push(`service ${name}: ${what} is not enforced by this engine`);
  }

  // Orphans: objects of services that are no longer in the Boltfile.
  for (const [service, list] of [...byService.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (project.services[service]) continue;
    for (const c of list.sort(byReplica)) {
      const remove = Array.isArray(options.removeOrphans) ? options.removeOrphans.includes(service) : options.removeOrphans;
      if (remove) {
        actions.push({
          id: serviceActionId(service, c.replica),
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

  const planned = options.restartPolicyOnly ? restartsOnly(actions) : actions;
  return { project: project.name, actions: planned, summary: summarize(planned, unchanged), notices, observedFingerprint: observedFingerprint(observed) };
}

/** The start actions of existing containers, with their dependencies on actions left out removed. */
function restartsOnly(actions: Action[]): Action[] {
  const starts = actions.filter((a) => a.kind === 'service' && a.op === 'start');
  const ids = new Set(starts.map((a) => a.id));
  return starts.map((a) => ({ ...a, dependsOn: a.dependsOn.filter((d) => ids.has(d)) }));
}

export interface DownOptions {
  removeVolumes?: boolean;
  removeOrphans?: boolean;
  timeoutSeconds?: number | null;
  /** remove images: local (built by surge) or all */
  rmi?: 'local' | 'all' | null;
}

/**
 * Takes the project away: containers in reverse dependency order (dependents first), then networks, then, only
 * when asked, named volumes. Without the model (no Boltfile), everything labelled with the project goes.
 */
export function planDown(project: Project, observed: ObservedState, options: DownOptions = {}): Plan {
  const actions: Action[] = [];
  const removalIds = new Map<string, string[]>();
  const known = (service: string): boolean => Boolean(project.services[service]);
  const containers = observed.containers.filter((c) => known(c.service) || options.removeOrphans || c.oneoff);
  const idOf = new Map<ObservedContainer, string>();
  const used = new Set<string>();
  for (const c of containers) {
    let id = `${serviceActionId(c.service, c.replica)}${c.oneoff ? `:${c.id.slice(0, 12)}` : ''}`;
    // The same replica can exist under two drivers after a service moved from one to the other.
    if (used.has(id)) id = `${id}@${c.driver}`;
    used.add(id);
    idOf.set(c, id);
    const list = removalIds.get(c.service) ?? [];
    list.push(id);
    removalIds.set(c.service, list);
  }
  const notices: string[] = [];
  for (const c of observed.containers) {
    if (!containers.includes(c)) notices.push(`orphan ${c.name} is kept: service "${c.service}" is not in the Boltfile; add --remove-orphans to remove it`);
  }
  for (const c of containers) {
    // A container is removed only after the containers that depend on it are gone.
    const dependents = Object.values(project.services)
      .filter((s) => s.depends_on[c.service])
      .flatMap((s) => removalIds.get(s.name) ?? []);
    actions.push({
      id: idOf.get(c) as string,
      kind: 'service',
      name: c.service,
      op: 'remove',
      reason: c.oneoff ? 'one-off container' : known(c.service) ? 'down' : 'orphan',
      dependsOn: dependents,
      driver: c.driver,
      replica: c.replica,
      containerId: c.id,
      containerName: c.name,
      timeoutSeconds: options.timeoutSeconds ?? null,
      ...(options.removeVolumes ? { removeVolumes: true } : {}),
    });
  }
  const allContainerActions = actions.map((a) => a.id);
  const networks = observed.networks.sort((a, b) => a.name.localeCompare(b.name));
  // A kept orphan container is still attached: the engine would refuse to remove its network ("has active
  // endpoints"), so the networks stay, as compose leaves a network that is still in use.
  const keptOnNetworks = observed.containers.some((c) => c.driver === 'docker' && !containers.includes(c));
  if (keptOnNetworks && networks.length) {
    notices.push(`networks are kept (${networks.map((n) => n.name).join(', ')}): orphan containers still use them; add --remove-orphans to remove both`);
  } else {
    for (const n of networks) {
      actions.push({ id: `network:${n.name}`, kind: 'network', name: n.name, op: 'remove', reason: 'down', dependsOn: allContainerActions, driver: 'docker' });
    }
  }
  if (options.removeVolumes) {
    // A kept orphan still mounting a volume would make the engine refuse ("volume is in use"): that one stays.
    const inUse = new Set(observed.containers.filter((c) => !containers.includes(c)).flatMap((c) => c.volumes ?? []));
    const kept = observed.volumes.filter((v) => inUse.has(v.engineName)).map((v) => v.name).sort();
    if (kept.length) notices.push(`volumes are kept (${kept.join(', ')}): orphan containers still use them; add --remove-orphans to remove both`);
    for (const v of observed.volumes.filter((x) => !inUse.has(x.engineName)).sort((a, b) => a.name.localeCompare(b.name))) {
      actions.push({ id: `volume:${v.name}`, kind: 'volume', name: v.name, op: 'remove', reason: 'down --volumes', dependsOn: allContainerActions, driver: 'docker' });
    }
  } else if (observed.volumes.length) {
    notices.push(`named volumes are kept (${observed.volumes.map((v) => v.name).sort().join(', ')}); \`surge down --volumes\` removes them`);
  }
  if (options.rmi) {
    const refs = new Set<string>();
    for (const s of Object.values(project.services)) {
      if (s.driver !== 'docker') continue;
      if (options.rmi === 'all' || (s.build && !s.image)) refs.add(imageRef(project, s));
    }
    for (const ref of [...refs].sort()) {
      if (!observed.images[ref]) continue;
      actions.push({ id: `image:${ref}`, kind: 'image', name: ref, op: 'remove', reason: `down --rmi ${options.rmi}`, dependsOn: allContainerActions, driver: 'docker' });
    }
  }
  return { project: project.name, actions, summary: summarize(actions, 0), notices, observedFingerprint: observedFingerprint(observed) };
}

export type LifecycleOp = 'start' | 'stop' | 'restart';

/** `surge start|stop|restart [SERVICE…]`: acts on existing containers only, in dependency order (stop: reverse). */
export function planLifecycle(project: Project, observed: ObservedState, op: LifecycleOp, services: string[] | undefined, timeoutSeconds: number | null = null): Plan {
  const selected = new Set(services?.length ? selectServices(project, services, true) : Object.keys(project.services));
  const containers = observed.containers.filter((c) => !c.oneoff && selected.has(c.service) && project.services[c.service]).sort(byReplica);
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
