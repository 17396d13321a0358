// Live objects of a project, with one list call per kind: the observed-state value the planner reads.
import type { DriverKind, Project } from '../../model/model.js';
import { emptyObservedState, type ContainerState, type HealthState, type ObservedContainer, type ObservedNetwork, type ObservedState } from '../../model/observed.js';
import { imageRef, isReplacementName, LABEL } from '../../model/naming.js';
import type { ContainerSummary, EngineApi, ImageSummary, NetworkSummary, VolumeSummary } from './engine-api.js';

/** "nginx" ≡ "nginx:latest" ≡ "docker.io/library/nginx:latest" */
export function normalizeImageRef(ref: string): string {
  let r = ref.replace(/^docker\.io\//, '').replace(/^library\//, '');
  const lastSlash = r.lastIndexOf('/');
  if (!r.includes('@') && r.lastIndexOf(':') <= lastSlash) r = `${r}:latest`;
  return r;
}

export function parseHealth(status: string): HealthState | null {
  if (status.includes('(healthy)')) return 'healthy';
  if (status.includes('(unhealthy)')) return 'unhealthy';
  if (status.includes('(health: starting)')) return 'starting';
  return null;
}

export function parseExitCode(status: string): number | null {
  const m = /^Exited \((-?\d+)\)/.exec(status);
  return m ? Number(m[1]) : null;
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

function formatPorts(ports: NonNullable<ContainerSummary['Ports']>): string[] {
  const seen = new Set<string>();
  for (const p of ports) {
    seen.add(p.PublicPort ? `${p.IP || '0.0.0.0'}:${p.PublicPort}->${p.PrivatePort}/${p.Type}` : `${p.PrivatePort}/${p.Type}`);
  }
  return [...seen].sort();
}

export function toObservedContainer(c: ContainerSummary): ObservedContainer {
  const labels = c.Labels ?? {};
  const name = (c.Names[0] ?? c.Id).replace(/^\//, '');
  return {
    driver: 'docker',
    id: c.Id,
    name,
    service: labels[LABEL.service] ?? '',
    replica: Number(labels[LABEL.replica] ?? 1) || 1,
    configHash: labels[LABEL.configHash] ?? '',
    config: parseConfig(labels[LABEL.config]),
    state: c.State as ContainerState,
    health: parseHealth(c.Status),
    exitCode: c.State === 'exited' ? parseExitCode(c.Status) : null,
    imageId: c.ImageID || null,
    oneoff: labels[LABEL.oneoff] === 'true',
    pid: null,
    ports: formatPorts(c.Ports ?? []),
    image: c.Image,
    volumes: (c.Mounts ?? []).filter((m) => m.Type === 'volume' && m.Name).map((m) => m.Name as string),
    problems: [],
    // A replacement's new container, left under its temporary name by a run that was killed.
    ...(isReplacementName(name) && labels[LABEL.service] && labels[LABEL.oneoff] !== 'true' ? { pendingReplacement: true } : {}),
  };
}

export function listProjectContainers(api: EngineApi, labels: string[]): Promise<ContainerSummary[]> {
  return api.get<ContainerSummary[]>('/containers/json', { query: { all: true, filters: { label: labels } } });
}

/**
 * Asks the engine about each image the list did not match by tag: it resolves names its own way (Podman names a
 * loaded image `localhost/NAME` and finds it as NAME). One call per unmatched image, in parallel; on Docker the
 * list matches them all and none is made.
 */
async function resolveUnmatchedImages(api: EngineApi, images: Record<string, string | null>): Promise<void> {
  const unmatched = Object.keys(images).filter((ref) => images[ref] === null);
  await Promise.all(
    unmatched.map(async (ref) => {
      try {
        images[ref] = (await api.get<{ Id: string }>(`/images/${encodeURIComponent(ref)}/json`)).Id;
      } catch (err) {
        if ((err as { statusCode?: unknown }).statusCode !== 404) throw err;
      }
    }),
  );
}

/** The image references a driver's services run, keyed by their normalized form (how the engine lists them). */
export function imageRefsOf(project: Project, driver: DriverKind): Map<string, string> {
  const refs = new Map<string, string>();
  for (const s of Object.values(project.services)) {
    if (s.driver !== driver) continue;
    const ref = imageRef(project, s);
    refs.set(normalizeImageRef(ref), ref);
  }
  return refs;
}

export async function observeDocker(api: EngineApi, project: Project): Promise<ObservedState> {
  const state = emptyObservedState();
  const byProject = { label: [`${LABEL.project}=${project.name}`] };
  const refs = imageRefsOf(project, 'docker');
  const externalNetworks = Object.values(project.networks).filter((n) => n.external).map((n) => n.external_name ?? n.name);
  const externalVolumes = Object.values(project.volumes).filter((v) => v.external).map((v) => v.external_name ?? v.name);
  type Volumes = { Volumes: VolumeSummary[] | null };
  const [containers, networks, volumes, images, extNets, extVols] = await Promise.all([
    listProjectContainers(api, byProject.label),
    api.get<NetworkSummary[]>('/networks', { query: { filters: byProject } }),
    api.get<Volumes>('/volumes', { query: { filters: byProject } }),
    refs.size ? api.get<ImageSummary[]>('/images/json', { query: { filters: { reference: [...new Set([...refs.values()])] } } }) : Promise.resolve([]),
    externalNetworks.length ? api.get<NetworkSummary[]>('/networks', { query: { filters: { name: externalNetworks } } }) : Promise.resolve([]),
    externalVolumes.length ? api.get<Volumes>('/volumes', { query: { filters: { name: externalVolumes } } }) : Promise.resolve({ Volumes: [] }),
  ]);
  state.containers = containers.filter((c) => c.Labels?.[LABEL.service]).map(toObservedContainer);
  state.networks = await withAttachments(
    api,
    networks.map((n) => ({
      name: n.Labels?.[LABEL.network] ?? n.Name,
      engineName: n.Name,
      id: n.Id,
      configHash: n.Labels?.[LABEL.configHash] ?? '',
      ...(n.Created ? { created: n.Created } : {}),
    })),
  );
  state.volumes = (volumes.Volumes ?? []).map((v) => ({
    name: v.Labels?.[LABEL.volume] ?? v.Name,
    engineName: v.Name,
    configHash: v.Labels?.[LABEL.configHash] ?? '',
  }));
  for (const ref of refs.values()) state.images[ref] = null;
  for (const img of images) {
    for (const tag of img.RepoTags ?? []) {
      const ref = refs.get(normalizeImageRef(tag));
      if (ref) state.images[ref] = img.Id;
    }
  }
  await resolveUnmatchedImages(api, state.images);
  // The name filter matches substrings: compare exactly.
  for (const n of externalNetworks) state.externals[n] = extNets.some((x) => x.Name === n);
  for (const v of externalVolumes) state.externals[v] = (extVols.Volumes ?? []).some((x) => x.Name === v);
  return state;
}

/**
 * Networks that share their name with another (the engine allows it) get the names of their attached containers,
 * from one inspect each (the list call leaves them out): the planner removes an empty duplicate, never one in use.
 * The usual case, one network per name, costs nothing more.
 */
async function withAttachments(api: EngineApi, networks: ObservedNetwork[]): Promise<ObservedNetwork[]> {
  const count = new Map<string, number>();
  for (const n of networks) count.set(n.engineName, (count.get(n.engineName) ?? 0) + 1);
  return Promise.all(
    networks.map(async (n) => {
      if ((count.get(n.engineName) ?? 0) < 2) return n;
      // Gone since the list: no attachments to report (the planner takes unknown as in use).
      const info = await api.get<NetworkSummary>(`/networks/${n.id}`).catch(() => null);
      return info ? { ...n, attached: Object.values(info.Containers ?? {}).map((c) => c.Name ?? '?').sort() } : n;
    }),
  );
}
