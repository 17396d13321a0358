// A project's live objects on a Swarm, one list call per kind (services with their status, tasks, nodes, networks,
// the manager's volumes and images): the observed-state value the planner reads.
import type { Project } from '../../model/model.js';
import { LABEL } from '../../model/naming.js';
import {
  emptyObservedState,
  type ObservedState,
  type ObservedSwarm,
  type ObservedSwarmNode,
  type ObservedSwarmService,
  type ObservedTask,
  type SwarmServiceMode,
} from '../../model/observed.js';
import type { EngineApi, NetworkSummary, VolumeSummary } from '../docker/engine-api.js';
import { imageRefsOf, normalizeImageRef } from '../docker/observe.js';
import { fileDigests } from './files.js';
import { SWARM_LABEL } from './service-spec.js';
import { compareText } from '../../model/order.js';

/** The parts of the manager's answers surge reads. */
export interface SwarmServiceInfo {
  ID: string;
  Version: { Index: number };
  UpdatedAt: string;
  Spec: {
    Name: string;
    Labels?: Record<string, string> | null;
    TaskTemplate: { ContainerSpec?: { Image?: string; Secrets?: { SecretName?: string }[] | null; Configs?: { ConfigName?: string }[] | null }; ForceUpdate?: number };
    Mode?: { Replicated?: { Replicas?: number }; Global?: object; ReplicatedJob?: { TotalCompletions?: number }; GlobalJob?: object };
  };
  Endpoint?: { Ports?: { Protocol?: string; TargetPort?: number; PublishedPort?: number; PublishMode?: string }[] | null };
  ServiceStatus?: { RunningTasks?: number; DesiredTasks?: number };
  UpdateStatus?: { State?: string; Message?: string; StartedAt?: string; CompletedAt?: string };
}

export interface SwarmTaskInfo {
  ID: string;
  ServiceID: string;
  Slot?: number;
  NodeID?: string;
  CreatedAt: string;
  DesiredState: string;
  Status: {
    Timestamp: string;
    State: string;
    Message?: string;
    Err?: string;
    ContainerStatus?: { ContainerID?: string; ExitCode?: number };
    PortStatus?: { Ports?: { Protocol?: string; TargetPort?: number; PublishedPort?: number }[] | null };
  };
}

export interface SwarmNodeInfo {
  ID: string;
  Spec: { Role?: string; Availability?: string; Labels?: Record<string, string> };
  Description?: {
    Hostname?: string;
    Resources?: { GenericResources?: ({ DiscreteResourceSpec?: { Kind: string; Value: number }; NamedResourceSpec?: { Kind: string; Value: string } })[] | null };
  };
  Status: { State: string; Addr?: string };
  ManagerStatus?: { Leader?: boolean };
}

function parseConfig(label: string | undefined): Record<string, unknown> | null {
  if (!label) return null;
  try {
    const v: unknown = JSON.parse(label);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function modeOf(spec: SwarmServiceInfo['Spec']): { mode: SwarmServiceMode; replicas: number | null } {
  const m = spec.Mode ?? {};
  if (m.Global) return { mode: 'global', replicas: null };
  if (m.GlobalJob) return { mode: 'global-job', replicas: null };
  if (m.ReplicatedJob) return { mode: 'replicated-job', replicas: m.ReplicatedJob.TotalCompletions ?? 1 };
  return { mode: 'replicated', replicas: m.Replicated?.Replicas ?? 1 };
}

export function toObservedNode(n: SwarmNodeInfo): ObservedSwarmNode {
  return {
    id: n.ID,
    hostname: n.Description?.Hostname ?? n.ID.slice(0, 12),
    role: n.Spec.Role === 'manager' ? 'manager' : 'worker',
    state: n.Status.State,
    availability: n.Spec.Availability ?? 'active',
    address: n.Status.Addr ?? '',
    leader: n.ManagerStatus?.Leader === true,
    genericResources: (n.Description?.Resources?.GenericResources ?? []).flatMap((g): { kind: string; value: number | string }[] =>
      g.DiscreteResourceSpec ? [{ kind: g.DiscreteResourceSpec.Kind, value: g.DiscreteResourceSpec.Value }] : g.NamedResourceSpec ? [{ kind: g.NamedResourceSpec.Kind, value: g.NamedResourceSpec.Value }] : [],
    ),
  };
}

export function toObservedTask(t: SwarmTaskInfo, nodes: Map<string, ObservedSwarmNode>): ObservedTask {
  const node = t.NodeID ? nodes.get(t.NodeID) : undefined;
  const ports = new Set<string>();
  // A host-mode port is listed twice in the task's status (Docker 20.10): once is enough.
  for (const p of t.Status.PortStatus?.Ports ?? []) ports.add(`${node?.address ?? ''}:${p.PublishedPort ?? ''}->${p.TargetPort ?? ''}/${p.Protocol ?? 'tcp'}`);
  return {
    id: t.ID,
    slot: t.Slot ?? null,
    nodeId: t.NodeID ?? null,
    node: node?.hostname ?? null,
    nodeState: node?.state ?? (t.NodeID ? 'unknown' : null),
    state: t.Status.State,
    desiredState: t.DesiredState,
    message: t.Status.Message ?? '',
    error: t.Status.Err ?? null,
    exitCode: t.Status.ContainerStatus?.ExitCode ?? null,
    containerId: t.Status.ContainerStatus?.ContainerID ?? null,
    timestamp: t.Status.Timestamp,
    createdAt: t.CreatedAt,
    ports: [...ports].sort(),
  };
}

export function toObservedService(s: SwarmServiceInfo, tasks: ObservedTask[]): ObservedSwarmService {
  const labels = s.Spec.Labels ?? {};
  const { mode, replicas } = modeOf(s.Spec);
  const u = s.UpdateStatus;
  return {
    id: s.ID,
    name: s.Spec.Name,
    service: labels[LABEL.service] ?? s.Spec.Name,
    version: s.Version.Index,
    configHash: labels[LABEL.configHash] ?? '',
    config: parseConfig(labels[LABEL.config]),
    image: s.Spec.TaskTemplate.ContainerSpec?.Image ?? '',
    imageId: labels[SWARM_LABEL.imageId] ?? null,
    mode,
    replicas,
    runningTasks: s.ServiceStatus?.RunningTasks ?? 0,
    desiredTasks: s.ServiceStatus?.DesiredTasks ?? 0,
    update: u?.State ? { state: u.State, message: u.Message ?? '', startedAt: u.StartedAt ?? null, completedAt: u.CompletedAt ?? null } : null,
    updatedAt: s.UpdatedAt,
    forceUpdate: s.Spec.TaskTemplate.ForceUpdate ?? 0,
    ports: (s.Endpoint?.Ports ?? []).map((p) => `${p.PublishedPort ?? ''}->${p.TargetPort ?? ''}/${p.Protocol ?? 'tcp'} (${p.PublishMode ?? 'ingress'})`),
    files: {
      secrets: (s.Spec.TaskTemplate.ContainerSpec?.Secrets ?? []).map((x) => x.SecretName ?? '').filter(Boolean).sort(),
      configs: (s.Spec.TaskTemplate.ContainerSpec?.Configs ?? []).map((x) => x.ConfigName ?? '').filter(Boolean).sort(),
    },
    tasks: tasks.sort((a, b) => (a.slot ?? 0) - (b.slot ?? 0) || compareText(a.createdAt, b.createdAt)),
  };
}

interface ImageDetail {
  Id: string;
  RepoTags: string[] | null;
  RepoDigests?: string[] | null;
}

/** "nginx@sha256:…" among an image's RepoDigests for the repository of `ref`. */
export function digestFor(ref: string, repoDigests: string[]): string | null {
  const repo = normalizeImageRef(ref).replace(/(@.*|:[^/:]*)$/, '');
  for (const d of repoDigests) {
    const at = d.indexOf('@');
    if (at < 0) continue;
    if (normalizeImageRef(`${d.slice(0, at)}:x`).replace(/:x$/, '') === repo) return d.slice(at + 1);
  }
  return null;
}

export interface SwarmContext {
  endpoint: string;
  localNodeId: string;
  kernel: ObservedSwarm['kernel'];
}

export function listProjectTasks(api: EngineApi, project: string): Promise<SwarmTaskInfo[]> {
  return api.get<SwarmTaskInfo[]>('/tasks', { query: { filters: { label: [`${LABEL.project}=${project}`] } } });
}

export async function observeSwarm(api: EngineApi, project: Project, ctx: SwarmContext): Promise<ObservedState> {
  const state = emptyObservedState();
  const byProject = { label: [`${LABEL.project}=${project.name}`] };
  const refs = imageRefsOf(project, 'swarm');
  const externalNetworks = Object.values(project.networks).filter((n) => n.external).map((n) => n.external_name ?? n.name);
  type Volumes = { Volumes: VolumeSummary[] | null };
  const [services, tasks, nodes, networks, volumes, images, extNets] = await Promise.all([
    api.get<SwarmServiceInfo[]>('/services', { query: { status: true, filters: byProject } }),
    listProjectTasks(api, project.name),
    api.get<SwarmNodeInfo[]>('/nodes'),
    api.get<(NetworkSummary & { Scope?: string })[]>('/networks', { query: { filters: byProject } }),
    api.get<Volumes>('/volumes', { query: { filters: byProject } }),
    refs.size ? api.get<ImageDetail[]>('/images/json', { query: { filters: { reference: [...new Set(refs.values())] } } }) : Promise.resolve([]),
    externalNetworks.length ? api.get<NetworkSummary[]>('/networks', { query: { filters: { name: externalNetworks } } }) : Promise.resolve([]),
  ]);
  const nodeList = nodes.map(toObservedNode);
  const nodeById = new Map(nodeList.map((n) => [n.id, n]));
  const tasksBy = new Map<string, ObservedTask[]>();
  for (const t of tasks) tasksBy.set(t.ServiceID, [...(tasksBy.get(t.ServiceID) ?? []), toObservedTask(t, nodeById)]);
  state.swarmServices = services.filter((s) => s.Spec.Labels?.[LABEL.service]).map((s) => toObservedService(s, tasksBy.get(s.ID) ?? []));
  // A bridge network of the project on the same engine is the Docker driver's: the Swarm's are swarm-scoped.
  state.networks = networks
    .filter((n) => n.Scope === 'swarm')
    .map((n) => ({ name: n.Labels?.[LABEL.network] ?? n.Name, engineName: n.Name, id: n.Id, configHash: n.Labels?.[LABEL.configHash] ?? '', driver: 'swarm' as const }));
  state.volumes = (volumes.Volumes ?? []).map((v) => ({ name: v.Labels?.[LABEL.volume] ?? v.Name, engineName: v.Name, configHash: v.Labels?.[LABEL.configHash] ?? '', driver: 'swarm' as const }));
  const digests: Record<string, string | null> = {};
  for (const ref of refs.values()) {
    state.images[ref] = null;
    digests[ref] = null;
  }
  for (const img of images) {
    for (const tag of img.RepoTags ?? []) {
      const ref = refs.get(normalizeImageRef(tag));
      if (!ref) continue;
      state.images[ref] = img.Id;
      digests[ref] = digestFor(ref, img.RepoDigests ?? []);
    }
  }
  for (const n of externalNetworks) state.externals[n] = extNets.some((x) => x.Name === n);
  state.swarm = { endpoint: ctx.endpoint, localNodeId: ctx.localNodeId, nodes: nodeList, imageDigests: digests, kernel: ctx.kernel, fileDigests: fileDigests(project) };
  return state;
}
