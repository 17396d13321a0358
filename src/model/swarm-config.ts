// What a service is on a Docker Swarm, resolved from the model once: its mode, replicas, endpoint mode, published
// ports, restart, update and rollback policies, placement and resources, each with surge's default filled in. The
// planner hashes it (a change is a rolling update) and the Swarm driver turns it into a ServiceSpec, so the two never
// disagree on a default. Pure.
import { canonicalServiceConfig, type Canonical } from './config-hash.js';
import type { DeploySwarm, Project, Service, UpdateConfig } from './model.js';
import type { SwarmServiceMode } from './observed.js';

export interface SwarmPort {
  target: number;
  /** null: the Swarm picks one (ingress: 30000+; host: a free port on the node) */
  published: number | null;
  protocol: 'tcp' | 'udp' | 'sctp';
  /** ingress: the routing mesh on every node (needs IPVS and a VIP); host: on the node that runs the task */
  mode: 'ingress' | 'host';
}

export interface SwarmUpdatePolicy {
  parallelism: number;
  delayMs: number | null;
  /** what a failed rollout does: rollback (surge's default: the old version keeps running), pause, continue */
  failureAction: 'rollback' | 'pause' | 'continue';
  monitorMs: number | null;
  maxFailureRatio: number | null;
  order: 'stop-first' | 'start-first';
}

export interface SwarmGenericResource {
  kind: string;
  /** a count (DiscreteResourceSpec) or one named resource, e.g. a GPU id (NamedResourceSpec) */
  value: number | string;
}

export interface SwarmServiceSettings {
  mode: SwarmServiceMode;
  /** replicated: tasks; jobs: completions; global: unused */
  replicas: number;
  endpointMode: 'vip' | 'dnsrr';
  ports: SwarmPort[];
  restart: { condition: 'none' | 'on-failure' | 'any'; maxAttempts: number | null; delayMs: number | null; windowMs: number | null };
  update: SwarmUpdatePolicy;
  rollback: SwarmUpdatePolicy | null;
  placement: { constraints: string[]; preferences: string[]; maxReplicasPerNode: number | null };
  limits: { nanoCpus: number | null; memoryBytes: number | null; pids: number | null };
  reservations: { nanoCpus: number | null; memoryBytes: number | null; generic: SwarmGenericResource[] };
}

/** The Swarm's name for NVIDIA GPUs among a node's generic resources (dockerd --node-generic-resource NVIDIA-GPU=…). */
export const NVIDIA_GPU_RESOURCE = 'NVIDIA-GPU';

/** Whether a service is a one-shot job: another service waits for it to complete successfully (planner's rule too). */
export function awaitedToComplete(project: Project, service: string): boolean {
  return Object.values(project.services).some((o) => o.depends_on[service]?.condition === 'service_completed_successfully');
}

function portRange(text: string): number[] {
  const [a, b] = text.split('-').map(Number) as [number, number | undefined];
  const out: number[] = [];
  for (let p = a; p <= (b ?? a); p++) out.push(p);
  return out;
}

/** Each port of a range is a port of its own on a Swarm; without a mode, dnsrr services publish on their tasks' nodes. */
export function swarmPorts(s: Service, endpointMode: 'vip' | 'dnsrr'): SwarmPort[] {
  const out: SwarmPort[] = [];
  // The routing mesh needs a VIP: with dnsrr a Swarm refuses ingress ports, so they are published on the task's node.
  const fallback = endpointMode === 'dnsrr' ? 'host' : 'ingress';
  for (const p of s.ports) {
    const targets = portRange(p.target);
    const published = p.published === null ? null : portRange(p.published);
    targets.forEach((t, i) => {
      const pub = published === null ? null : published.length === 1 ? (published[0] as number) : (published[i] ?? null);
      out.push({ target: t, published: pub, protocol: p.protocol, mode: p.mode ?? fallback });
    });
  }
  return out;
}

const CONDITIONS: Record<string, SwarmServiceSettings['restart']['condition']> = { none: 'none', no: 'none', 'on-failure': 'on-failure', any: 'any', always: 'any', 'unless-stopped': 'any' };

function restartPolicy(s: Service, job: boolean): SwarmServiceSettings['restart'] {
  const rp = s.deploy?.restart_policy;
  const m = /^on-failure(?::(\d+))?$/.exec(s.restart);
  // A job is run again only when it fails; a service keeps its tasks running: "no" (the model's default) is the
  // Swarm's `any` (the loader warns where a Boltfile says "no" itself), as `docker stack deploy` does.
  let condition: SwarmServiceSettings['restart']['condition'] = job ? 'on-failure' : 'any';
  if (rp?.condition) condition = CONDITIONS[rp.condition] ?? condition;
  else if (m) condition = 'on-failure';
  const attempts = rp?.max_attempts ?? (m?.[1] ? Number(m[1]) : null);
  return { condition, maxAttempts: attempts, delayMs: rp?.delay_ms ?? null, windowMs: rp?.window_ms ?? null };
}

function updatePolicy(u: UpdateConfig | null | undefined, defaults: SwarmUpdatePolicy): SwarmUpdatePolicy {
  if (!u) return { ...defaults };
  return {
    parallelism: u.parallelism ?? defaults.parallelism,
    delayMs: u.delay_ms ?? defaults.delayMs,
    failureAction: (u.failure_action as SwarmUpdatePolicy['failureAction'] | null) ?? defaults.failureAction,
    monitorMs: u.monitor_ms ?? defaults.monitorMs,
    maxFailureRatio: u.max_failure_ratio ?? defaults.maxFailureRatio,
    order: (u.order as SwarmUpdatePolicy['order'] | null) ?? defaults.order,
  };
}

/** A failed rollout goes back to the version that ran (surge's default; a Swarm's own is to pause). */
const DEFAULT_UPDATE: SwarmUpdatePolicy = { parallelism: 1, delayMs: null, failureAction: 'rollback', monitorMs: null, maxFailureRatio: null, order: 'stop-first' };
const DEFAULT_ROLLBACK: SwarmUpdatePolicy = { parallelism: 1, delayMs: null, failureAction: 'pause', monitorMs: null, maxFailureRatio: null, order: 'stop-first' };

/** GPUs as the Swarm reserves them: a count of the nodes' advertised NVIDIA-GPU, or the named devices. */
export function gpuReservation(s: Service): SwarmGenericResource[] {
  const g = s.gpu;
  if (!g) return [];
  if (g.count !== undefined) return [{ kind: NVIDIA_GPU_RESOURCE, value: g.count }];
  if (g.devices === 'all') return [];
  return g.devices.map((id) => ({ kind: NVIDIA_GPU_RESOURCE, value: id }));
}

/** How many GPUs one task of `s` needs (0: none, null: "all", which a Swarm cannot reserve). */
export function gpusPerTask(s: Service): number | null {
  if (!s.gpu) return 0;
  if (s.gpu.count !== undefined) return s.gpu.count;
  if (s.gpu.devices === 'all') return null;
  return s.gpu.devices.length;
}

const MODES: readonly SwarmServiceMode[] = ['replicated', 'global', 'replicated-job', 'global-job'];

function serviceMode(d: DeploySwarm | null, job: boolean): SwarmServiceMode {
  const asked = MODES.find((m) => m === d?.mode) ?? 'replicated';
  if (!job || asked.endsWith('-job')) return asked;
  return asked === 'global' ? 'global-job' : 'replicated-job';
}

export function swarmSettings(project: Project, s: Service): SwarmServiceSettings {
  const d = s.deploy;
  const job = awaitedToComplete(project, s.name);
  const endpointMode = (d?.endpoint_mode === 'vip' || d?.endpoint_mode === 'dnsrr' ? d.endpoint_mode : null) ?? project.swarm?.endpoint_mode ?? 'vip';
  const placement = d?.placement;
  return {
    mode: serviceMode(d, job),
    replicas: s.replicas,
    endpointMode,
    ports: swarmPorts(s, endpointMode),
    restart: restartPolicy(s, job),
    update: updatePolicy(d?.update_config, DEFAULT_UPDATE),
    rollback: d?.rollback_config ? updatePolicy(d.rollback_config, DEFAULT_ROLLBACK) : null,
    placement: {
      constraints: placement?.constraints ?? [],
      preferences: (placement?.preferences ?? []).map((p) => p.spread),
      maxReplicasPerNode: placement?.max_replicas_per_node ?? null,
    },
    limits: {
      nanoCpus: s.cpu_limit === null ? null : Math.round(s.cpu_limit * 1e9),
      memoryBytes: s.memory_limit_bytes,
      pids: s.pids_limit,
    },
    reservations: {
      nanoCpus: d?.cpu_reservation == null ? null : Math.round(d.cpu_reservation * 1e9),
      memoryBytes: s.mem_reservation_bytes,
      generic: [...gpuReservation(s), ...(d?.generic_resources ?? []).map((g) => ({ kind: g.kind, value: g.value }))],
    },
  };
}

function compact(entries: Record<string, unknown>): { [key: string]: Canonical } {
  const out: { [key: string]: Canonical } = {};
  for (const [k, v] of Object.entries(entries)) {
    if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v as Canonical;
  }
  return out;
}

/**
 * The canonical config of a Swarm service: the container's (as on a single engine) plus what the Swarm does with it.
 * The replica count is left out: a change of it is a scale, not an update of the tasks.
 */
/** `salt`: the project's secret-digest salt (config-hash.ts); Swarm services were salted from their first release. */
export function canonicalSwarmConfig(project: Project, s: Service, salt: string): { [key: string]: Canonical } {
  const w = swarmSettings(project, s);
  const swarm = compact({
    mode: w.mode,
    endpoint_mode: w.endpointMode,
    ports: w.ports.map((p) => compact({ ...p })),
    restart: compact({ ...w.restart }),
    update: compact({ ...w.update }),
    rollback: w.rollback ? compact({ ...w.rollback }) : null,
    placement: compact({ ...w.placement }),
    labels: s.deploy?.labels && Object.keys(s.deploy.labels).length ? s.deploy.labels : null,
    reservations: compact({ nano_cpus: w.reservations.nanoCpus, memory_bytes: w.reservations.memoryBytes, generic: w.reservations.generic.map((g) => compact({ ...g })) }),
  });
  return { ...canonicalServiceConfig(s, salt), swarm };
}

/** The engine-side name of a project's service on a Swarm, as `docker stack deploy` names it. */
export function swarmServiceName(project: string, service: string): string {
  return `${project}_${service}`;
}

export type SwarmFileKind = 'secret' | 'config';

/**
 * The Swarm object a service mounts for a secret or config: an external one by its own name; one surge makes is named
 * by its content (`<project>_<name>_<digest>`), since a Swarm's secrets and configs never change. null while the
 * content is unknown (a file surge cannot read).
 */
export function swarmFileObjectName(project: Project, kind: SwarmFileKind, source: string, digests: Record<string, string | null> | undefined): string | null {
  const declared = (kind === 'secret' ? project.secrets : project.configs)[source];
  if (declared?.external) return declared.external_name ?? declared.name;
  const digest = digests?.[`${kind}:${source}`];
  return digest ? `${project.name}_${source}_${digest.replace(/^sha256:/, '').slice(0, 12)}` : null;
}
