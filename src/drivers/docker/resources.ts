// Networks and volumes: created with surge's labels, removed only when the plan says so.
import type Docker from 'dockerode';
import { canonicalNetworkConfig, canonicalVolumeConfig } from '../../planner/config-hash.js';
import type { Network, Project, Volume } from '../../planner/model.js';
import { LABEL, networkEngineName, volumeEngineName } from '../labels.js';

function notFound(err: unknown): boolean {
  return (err as { statusCode?: number }).statusCode === 404;
}

export async function createNetwork(docker: Docker, project: Project, n: Network, configHash: string, version: string): Promise<void> {
  const options: Docker.NetworkCreateOptions = {
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
  if (n.subnet || n.gateway) options.IPAM = { Driver: 'default', Config: [{ ...(n.subnet ? { Subnet: n.subnet } : {}), ...(n.gateway ? { Gateway: n.gateway } : {}) }] };
  if (n.driver === 'overlay') {
    options.Attachable = true;
    if (n.encryption) options.Options = { encrypted: '' };
  }
  await docker.createNetwork(options);
}

export async function removeNetwork(docker: Docker, project: Project, name: string): Promise<void> {
  try {
    await docker.getNetwork(networkEngineName(project.name, name)).remove();
  } catch (err) {
    if (!notFound(err)) throw err;
  }
}

export async function createVolume(docker: Docker, project: Project, v: Volume, configHash: string, version: string): Promise<void> {
  await docker.createVolume({
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
  });
}

export async function removeVolume(docker: Docker, project: Project, name: string): Promise<void> {
  try {
    await docker.getVolume(volumeEngineName(project.name, name)).remove();
  } catch (err) {
    if (!notFound(err)) throw err;
  }
}

export { notFound };
