// The Swarm branch of the planner: one action per Swarm service (`service:web`), not one per replica. A new service
// is created; a changed one is updated in place (the Swarm rolls it out, by its update policy), with the reasons a
// Docker recreate would give; a new replica count is a scale; a mode a Swarm cannot change in place is a recreate;
// services no longer in the Boltfile are orphans as on Docker. Pure, like every planner module.
import { UserError } from '../model/errors.js';
import type { Project, Service } from '../model/model.js';
import { imageRef, serviceActionId } from '../model/naming.js';
import type { ObservedContainer, ObservedState, ObservedSwarmService } from '../model/observed.js';
import type { Action, Change, WaitFor } from '../model/plan-types.js';
import { configSaltOf, hashCanonical } from '../model/config-hash.js';
import { canonicalSwarmConfig, swarmFileObjectName, swarmServiceName, swarmSettings } from '../model/swarm-config.js';
import { diffConfigs, summarizeReasons } from './config-diff.js';
import { compareText } from '../model/order.js';

export interface SwarmPlanOptions {
  forceRecreate?: boolean;
  noRecreate?: boolean;
  removeOrphans?: boolean | string[];
  timeoutSeconds?: number | null;
}

export interface SwarmServicePlan {
  actions: Action[];
  notices: string[];
  unchanged: number;
  /** ids of the actions that create or change the service: its dependents wait for them */
  ids: string[];
}

/** The id of a Swarm service's action: one per service, e.g. `service:web`. */
export function swarmActionId(service: string): string {
  return `service:${service}`;
}

function step(live: ObservedSwarmService | undefined, name: string, extra: { replicasOnly?: boolean; force?: boolean } = {}): NonNullable<Action['swarm']> {
  return { serviceName: live?.name ?? name, serviceId: live?.id ?? null, version: live?.version ?? null, replicasOnly: extra.replicasOnly ?? false, force: extra.force ?? false };
}

/** The Swarm part of the canonical config, by the key a Boltfile sets it with. */
const SWARM_WORDS: Record<string, string> = {
  mode: 'deploy.mode',
  endpoint_mode: 'deploy.endpoint_mode',
  ports: 'ports',
  restart: 'deploy.restart_policy',
  update: 'deploy.update_config',
  rollback: 'deploy.rollback_config',
  placement: 'deploy.placement',
  reservations: 'deploy.resources.reservations',
  labels: 'deploy.labels',
};

function asRecord(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Why a Swarm service is updated: what differs in its config, a new image, a new replica count. */
function updateReasons(live: ObservedSwarmService, desired: ReturnType<typeof canonicalSwarmConfig>, hashChanged: boolean, imageChanged: string | null): { reasons: string[]; changes: Change[] | undefined } {
  const reasons: string[] = [];
  let changes: Change[] | undefined;
  if (hashChanged) {
    if (live.config) {
      // What the Swarm does with the service is said in compose's words, key by key (deploy.update_config changed).
      const { swarm: before, ...containerBefore } = live.config;
      const { swarm: after, ...containerAfter } = desired;
      const diff = diffConfigs(containerBefore, containerAfter);
      const swarmDiff = diffConfigs(asRecord(before), asRecord(after));
      reasons.push(...diff.reasons, ...swarmDiff.changes.map((c) => `${SWARM_WORDS[c.path] ?? c.path} changed`));
      changes = [...diff.changes, ...swarmDiff.changes.map((c) => ({ ...c, path: SWARM_WORDS[c.path] ?? `swarm.${c.path}` }))];
    }
    if (!reasons.length) reasons.push('config changed');
  }
  if (imageChanged) reasons.push(imageChanged);
  return { reasons, changes };
}

/**
 * Secrets and configs whose content changed: a Swarm's objects never change, so surge's are named by their content,
 * and a service still mounting the object of another content is updated to the new one.
 */
function fileReasons(project: Project, s: Service, live: ObservedSwarmService, digests: Record<string, string | null> | undefined): string[] {
  const reasons: string[] = [];
  for (const [kind, mounts, names] of [
    ['secret', s.secrets, live.files.secrets],
    ['config', s.configs, live.files.configs],
  ] as const) {
    for (const m of mounts) {
      const want = swarmFileObjectName(project, kind, m.source, digests);
      const prefix = `${project.name}_${m.source}_`;
      if (want && !names.includes(want) && names.some((n) => n.startsWith(prefix))) reasons.push(`${kind} ${m.source} changed`);
    }
  }
  return [...new Set(reasons)];
}

/** The last rollout, when it did not end well: a rolled-back one is planned again (the spec is the old one), a paused one resumed. */
function rolloutTrouble(live: ObservedSwarmService): string | null {
  const u = live.update;
  if (!u) return null;
  if (u.state === 'paused' || u.state === 'rollback_paused') return `last rollout ${u.state.replace('_', ' ')}: ${u.message}`;
  return null;
}

export function swarmServiceActions(
  project: Project,
  s: Service,
  live: ObservedSwarmService | undefined,
  containers: ObservedContainer[],
  observed: ObservedState,
  options: SwarmPlanOptions,
  edges: { dependsOn: string[]; waitFor: WaitFor[]; imageIds: string[]; salt: string },
): SwarmServicePlan {
  const out: SwarmServicePlan = { actions: [], notices: [], unchanged: 0, ids: [] };
  const id = swarmActionId(s.name);
  const engineName = swarmServiceName(project.name, s.name);
  // A live service is compared in the salt it was labelled with; a new one gets the project's (config-hash.ts).
  const salt = configSaltOf(live?.config ?? null) ?? edges.salt;
  const desired = canonicalSwarmConfig(project, s, salt);
  const hash = hashCanonical(desired);
  const settings = swarmSettings(project, s);
  const base = { id, kind: 'service' as const, name: s.name, driver: 'swarm' as const, dependsOn: edges.dependsOn, waitFor: edges.waitFor, configHash: hash, configSalt: salt };

  // Replicas it had as containers (the service moved from one engine to the Swarm) go away first.
  for (const c of containers) {
    out.actions.push({
      id: `${serviceActionId(s.name, c.replica)}@${c.driver}`,
      kind: 'service',
      name: s.name,
      op: 'remove',
      reason: 'moved to the swarm driver',
      dependsOn: edges.imageIds,
      driver: c.driver,
      replica: c.replica,
      containerId: c.id,
      containerName: c.name,
      timeoutSeconds: options.timeoutSeconds ?? null,
    });
  }
  if (!live) {
    out.actions.push({ ...base, op: 'create', reason: 'not found', swarm: step(undefined, engineName) });
    out.ids.push(id);
    return out;
  }
  if (live.mode !== settings.mode) {
    out.actions.push({
      ...base,
      op: 'recreate',
      reason: `mode ${live.mode} → ${settings.mode} (a Swarm cannot change a service's mode in place)`,
      swarm: step(live, engineName),
      timeoutSeconds: options.timeoutSeconds ?? null,
    });
    out.ids.push(id);
    return out;
  }
  const files = fileReasons(project, s, live, observed.swarm?.fileDigests);
  const hashChanged = live.configHash !== hash || files.length > 0;
  const ref = imageRef(project, s);
  const localImage = observed.images[ref] ?? null;
  const imageChanged = localImage !== null && live.imageId !== null && live.imageId !== localImage ? (s.build ? 'image rebuilt' : `image ${ref} updated`) : null;
  const scaled = settings.mode === 'replicated' && live.replicas !== settings.replicas;
  const scaleReason = `scale (replicas ${live.replicas ?? '?'} → ${settings.replicas})`;
  const trouble = rolloutTrouble(live);

  if (options.forceRecreate) {
    out.actions.push({ ...base, op: 'update', reason: 'replace every task (--force-recreate)', swarm: step(live, engineName, { force: true }) });
    out.ids.push(id);
    return out;
  }
  if (hashChanged || imageChanged) {
    const { reasons, changes } = updateReasons(live, desired, live.configHash !== hash, imageChanged);
    reasons.unshift(...files);
    if (!options.noRecreate) {
      if (scaled) reasons.push(scaleReason);
      out.actions.push({ ...base, op: 'update', reason: summarizeReasons(reasons), ...(changes ? { changes } : {}), swarm: step(live, engineName, { force: imageChanged !== null }) });
      out.ids.push(id);
      if (live.update?.state === 'rollback_completed') out.notices.push(`service ${s.name}: its last rollout was rolled back (${live.update.message}); this plan tries it again`);
      return out;
    }
    out.notices.push(`${id} differs from the Boltfile (${summarizeReasons(reasons)}) and is kept as it is (--no-recreate)`);
  }
  if (scaled) {
    out.actions.push({ ...base, op: 'update', reason: scaleReason, swarm: step(live, engineName, { replicasOnly: true }) });
    out.ids.push(id);
    return out;
  }
  if (trouble && !options.noRecreate) {
    out.actions.push({ ...base, op: 'update', reason: trouble, swarm: step(live, engineName, { force: true }) });
    out.ids.push(id);
    return out;
  }
  out.unchanged++;
  return out;
}

/** Swarm services no longer in the Boltfile (or moved to another driver): removed when asked, else a notice each. */
export function swarmOrphanActions(project: Project, observed: ObservedState, options: SwarmPlanOptions, imageIds: string[]): { actions: Action[]; notices: string[] } {
  const actions: Action[] = [];
  const notices: string[] = [];
  for (const live of [...(observed.swarmServices ?? [])].sort((a, b) => compareText(a.service, b.service))) {
    const s = project.services[live.service];
    if (s?.driver === 'swarm') continue;
    const moved = s !== undefined;
    const remove = moved || (Array.isArray(options.removeOrphans) ? options.removeOrphans.includes(live.service) : options.removeOrphans);
    if (!remove) {
      notices.push(`orphan ${live.name}: service "${live.service}" is no longer in the Boltfile; remove it with --remove-orphans`);
      continue;
    }
    actions.push({
      id: moved ? `${swarmActionId(live.service)}@swarm` : swarmActionId(live.service),
      kind: 'service',
      name: live.service,
      op: 'remove',
      reason: moved ? `moved to the ${s.driver} driver` : 'orphan',
      dependsOn: imageIds,
      driver: 'swarm',
      swarm: step(live, live.name),
      timeoutSeconds: options.timeoutSeconds ?? null,
    });
  }
  return { actions, notices };
}

/** What a user must know before deploying to this Swarm: images without a digest, builds, GPUs, the kernel. */
export function swarmNotices(project: Project, observed: ObservedState, selected: string[], actions: Action[]): string[] {
  const swarm = observed.swarm;
  const services = selected.map((n) => project.services[n]).filter((s): s is Service => s?.driver === 'swarm');
  if (!services.length) return [];
  const notices: string[] = [];
  const manager = swarm?.nodes.find((n) => n.id === swarm.localNodeId)?.hostname ?? 'the manager';
  const refs = new Map<string, string[]>();
  for (const s of services) refs.set(imageRef(project, s), [...(refs.get(imageRef(project, s)) ?? []), s.name]);
  for (const [ref, users] of [...refs.entries()].sort(([a], [b]) => compareText(a, b))) {
    const built = actions.some((a) => a.kind === 'image' && a.name === ref && a.image?.buildService);
    if (built) {
      notices.push(`image ${ref} is built on ${manager} only: the other nodes need it too (push it to a registry the nodes pull from, or load it on each node)`);
    } else if (swarm && observed.images[ref] && swarm.imageDigests[ref] === null) {
      notices.push(`image ${ref} (${users.join(', ')}) has no registry digest: each node runs its own copy of it, so nodes may run different versions`);
    }
  }
  for (const s of services) {
    if (s.gpu) notices.push(`service ${s.name}: the Swarm reserves its GPUs (generic resource NVIDIA-GPU); its containers get them only where the node's engine runs the nvidia runtime by default`);
  }
  const vip = services.filter((s) => swarmSettings(project, s).endpointMode === 'vip');
  if (swarm?.kernel.ipvs === false && vip.length) {
    notices.push(
      `the manager's kernel (${swarm.kernel.release ?? '?'}) has no IPVS: service VIPs and ingress-published ports carry no traffic there, so ${vip.map((s) => s.name).join(', ')} ` +
        'cannot be reached by service name; set [swarm] endpoint_mode = "dnsrr" (names resolve to the tasks, ports publish on their nodes)',
    );
  }
  return notices;
}

/**
 * Encrypted overlays: Docker creates one even where the nodes' kernels cannot encrypt (no ESP) and then drops all
 * traffic between nodes, reporting nothing. Where surge can tell (a manager on this machine), that is an error before
 * anything is created; elsewhere a notice says it could not verify.
 */
export function encryptionCheck(project: Project, observed: ObservedState, networks: string[]): { notices: string[] } {
  const encrypted = networks.filter((n) => {
    const net = project.networks[n];
    return net !== undefined && !net.external && net.driver === 'overlay' && net.encryption;
  });
  if (!encrypted.length) return { notices: [] };
  const kernel = observed.swarm?.kernel;
  const which = encrypted.map((n) => `network ${n}`).join(', ');
  if (kernel?.esp === false) {
    throw new UserError(
      `${which} would be an encrypted overlay, but the manager's kernel (${kernel.release ?? '?'}) has no ESP (CONFIG_INET_ESP): Docker would create it and then drop all traffic between nodes, without a word. ` +
        'Nothing was created or changed. Set encryption = false (and drop QUIC) on it, or run on nodes whose kernels have ESP.',
      'precondition',
    );
  }
  return {
    notices: [
      `${which}: an encrypted overlay (IPsec); surge cannot verify that every node's kernel has ESP. Where one does not, Docker creates the network anyway and drops all traffic between nodes (nothing reports it): check with \`zgrep CONFIG_INET_ESP /proc/config.gz\` on each node`,
    ],
  };
}
