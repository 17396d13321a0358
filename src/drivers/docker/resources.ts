// Networks and volumes: created with surge's labels, removed only when the plan says so. A network that exists when
// the plan said create (409) is a fact when it is ours; one of several networks with one name is removed by its id.
import { canonicalNetworkConfig, canonicalVolumeConfig } from '../../model/config-hash.js';
import type { Network, Project, Volume } from '../../model/model.js';
import { LABEL, networkEngineName, volumeEngineName } from '../../model/naming.js';
import { EngineError, errorMessage } from '../../model/errors.js';
import type { EngineApi, NetworkSummary } from './engine-api.js';

export function notFound(err: unknown): boolean {
  return (err as { statusCode?: number }).statusCode === 404;
}

export async function createNetwork(api: EngineApi, project: Project, n: Network, configHash: string, version: string): Promise<void> {
  const body: Record<string, unknown> = {
    Name: networkEngineName(project.name, n.name),
    Driver: n.driver,
    CheckDuplicate: true,
    Internal: n.internal,
    Labels: {
      ...n.labels,
      [LABEL.project]: project.name,
      [LABEL.network]: n.name,
      [LABEL.configHash]: configHash,
      [LABEL.config]: JSON.stringify(canonicalNetworkConfig(n)),
      [LABEL.quic]: String(n.quic),
      [LABEL.encryption]: String(n.encryption),
      [LABEL.version]: version,
    },
  };
  if (n.subnet || n.gateway) body.IPAM = { Driver: 'default', Config: [{ ...(n.subnet ? { Subnet: n.subnet } : {}), ...(n.gateway ? { Gateway: n.gateway } : {}) }] };
  if (n.driver === 'overlay') {
    body.Attachable = true;
    if (n.encryption) body.Options = { encrypted: '' };
  }
  try {
    await api.post('/networks/create', { body });
  } catch (err) {
    // 409: the network exists (made after the plan observed the stack: a killed run's request, another run). Ours
    // is what the plan wanted; another's is the user's to sort out.
    if ((err as { statusCode?: number }).statusCode !== 409) throw err;
    const engineName = body.Name as string;
    const existing = await api.get<NetworkSummary[]>('/networks', { query: { filters: { name: [engineName] } } });
    const ours = existing.some((x) => x.Name === engineName && x.Labels?.[LABEL.project] === project.name && x.Labels?.[LABEL.network] === n.name);
    if (!ours) throw new EngineError(`network ${engineName} exists and surge did not make it for project ${project.name}: remove it, or declare it external`);
  }
}

/** `objectId`: remove this network (one of several with the name); otherwise the one with the name. */
export async function removeNetwork(api: EngineApi, project: Project, name: string, objectId?: string): Promise<void> {
  const engineName = networkEngineName(project.name, name);
  try {
    await api.delete(`/networks/${encodeURIComponent(objectId ?? engineName)}`);
  } catch (err) {
    if (notFound(err)) return;
    if (!/has active endpoints/.test(errorMessage(err))) throw err;
    throw new EngineError(await whyInUse(api, objectId ?? engineName, engineName));
  }
}

/** "has active endpoints": containers still attached (say which), or none at all (the engine's own bug). */
async function whyInUse(api: EngineApi, ref: string, engineName: string): Promise<string> {
  const info = await api.get<NetworkSummary>(`/networks/${encodeURIComponent(ref)}`).catch(() => null);
  const attached = Object.values(info?.Containers ?? {}).map((c) => c.Name ?? '?').sort();
  if (attached.length) return `network ${engineName} is still used by ${attached.join(', ')}: stop or disconnect them, then run \`surge down\` again`;
  return (
    `the engine refuses to remove network ${engineName}: it counts endpoints although no container is attached ` +
    '(a Docker Engine 20.10 bug after many containers leave a network at once, moby/moby#42119). Everything else was removed; ' +
    'restarting the engine clears it, and until then `surge up` reuses the network as it is.'
  );
}

export async function createVolume(api: EngineApi, project: Project, v: Volume, configHash: string, version: string): Promise<void> {
  await api.post('/volumes/create', {
    body: {
      Name: volumeEngineName(project.name, v.name),
      Driver: v.driver,
      DriverOpts: v.driver_opts,
      Labels: {
        ...v.labels,
        [LABEL.project]: project.name,
        [LABEL.volume]: v.name,
        [LABEL.configHash]: configHash,
        [LABEL.config]: JSON.stringify(canonicalVolumeConfig(v)),
        [LABEL.version]: version,
      },
    },
  });
}

/** `engineName`: the volume to remove, when the plan names it (two volumes labelled with one name); else the project's. */
export async function removeVolume(api: EngineApi, project: Project, name: string, engineName?: string): Promise<void> {
  try {
    await api.delete(`/volumes/${encodeURIComponent(engineName ?? volumeEngineName(project.name, name))}`);
  } catch (err) {
    if (!notFound(err)) throw err;
  }
}
