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

/** The engine's name of a network surge creates: compose's `name`, else <project>_<name>. */
function networkName(project: Project, name: string): string {
  return project.networks[name]?.engine_name ?? networkEngineName(project.name, name);
}

function volumeName(project: Project, name: string): string {
  return project.volumes[name]?.engine_name ?? volumeEngineName(project.name, name);
}

/** The network create body: compose's ipam, driver_opts, attachable and IPv4/IPv6 switches, Bolt's subnet shorthand. */
export function networkCreateBody(project: Project, n: Network, configHash: string, version: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    Name: networkName(project, n.name),
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
  const pools: Record<string, unknown>[] = [];
  if (n.subnet || n.gateway) pools.push({ ...(n.subnet ? { Subnet: n.subnet } : {}), ...(n.gateway ? { Gateway: n.gateway } : {}) });
  for (const c of n.ipam?.config ?? []) {
    const pool: Record<string, unknown> = {};
    if (c.subnet) pool.Subnet = c.subnet;
    if (c.gateway) pool.Gateway = c.gateway;
    if (c.ip_range) pool.IPRange = c.ip_range;
    if (Object.keys(c.aux_addresses).length) pool.AuxiliaryAddresses = c.aux_addresses;
    pools.push(pool);
  }
  if (pools.length || n.ipam) {
    body.IPAM = { Driver: n.ipam?.driver ?? 'default', Config: pools, ...(n.ipam && Object.keys(n.ipam.options).length ? { Options: n.ipam.options } : {}) };
  }
  const options: Record<string, string> = { ...(n.driver_opts ?? {}) };
  if (n.driver === 'overlay') {
    body.Attachable = true;
    if (n.encryption) options.encrypted = '';
  }
  if (n.attachable !== undefined) body.Attachable = n.attachable;
  if (Object.keys(options).length) body.Options = options;
  if (n.enable_ipv6 !== undefined) body.EnableIPv6 = n.enable_ipv6;
  if (n.enable_ipv4 !== undefined) body.EnableIPv4 = n.enable_ipv4;
  return body;
}

export async function createNetwork(api: EngineApi, project: Project, n: Network, configHash: string, version: string): Promise<void> {
  const body = networkCreateBody(project, n, configHash, version);
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
  const engineName = networkName(project, name);
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
      Name: volumeName(project, v.name),
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
    await api.delete(`/volumes/${encodeURIComponent(engineName ?? volumeName(project, name))}`);
  } catch (err) {
    if (!notFound(err)) throw err;
  }
}
