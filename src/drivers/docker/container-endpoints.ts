// How a container is wired to the project: engine names of its networks, the endpoint it gets on each (aliases,
// static addresses, MAC, driver options, links), and the namespaces it shares with another service's container
// (compose's `service:NAME`, which the engine reads as `container:<that service's first container>`).
import type Docker from 'dockerode';
import type { Project, Service } from '../../model/model.js';
import { containerName, networkEngineName } from '../../model/naming.js';

export function engineNetworkName(project: Project, name: string): string {
  const n = project.networks[name];
  if (n?.external) return n.external_name ?? n.name;
  return n?.engine_name ?? networkEngineName(project.name, name);
}

/** The container of a service another one shares a namespace with, mounts volumes from or links to: its first replica. */
export function serviceContainer(project: Project, service: string): string {
  return project.services[service]?.container_name ?? containerName(project.name, service, 1);
}

/** `service:NAME` → `container:<its container>`; host, none, container:… and the rest as written. */
export function namespaceMode(project: Project, mode: string | null): string | undefined {
  if (mode === null) return undefined;
  const m = /^service:(.+)$/.exec(mode);
  return m ? `container:${serviceContainer(project, m[1] as string)}` : mode;
}

/** `volumes_from`: "SERVICE[:ro|rw]", "service:SERVICE[:…]" or "container:NAME[:…]" → the engine's "NAME[:ro|rw]". */
export function volumesFrom(project: Project, s: Service): string[] {
  return s.volumes_from.map((v) => {
    if (v.startsWith('container:')) return v.slice('container:'.length);
    const [service, mode] = (v.startsWith('service:') ? v.slice('service:'.length) : v).split(':') as [string, string | undefined];
    return `${serviceContainer(project, service)}${mode ? `:${mode}` : ''}`;
  });
}

export type Endpoint = Docker.EndpointSettings & { GwPriority?: number };

/** The endpoint a service's container gets on one of its networks. */
export function endpointSettings(project: Project, s: Service, network: string, primary: boolean): Endpoint {
  const n = s.networks[network];
  const e: Endpoint = { Aliases: [s.name, ...(n?.aliases ?? [])] };
  if (n?.ipv4_address || n?.ipv6_address || n?.link_local_ips?.length) {
    e.IPAMConfig = {};
    if (n.ipv4_address) e.IPAMConfig.IPv4Address = n.ipv4_address;
    if (n.ipv6_address) e.IPAMConfig.IPv6Address = n.ipv6_address;
    if (n.link_local_ips?.length) e.IPAMConfig.LinkLocalIPs = n.link_local_ips;
  }
  // The service-level MAC is the primary network's, as compose reads it.
  const mac = n?.mac_address ?? (primary ? s.mac_address : null);
  if (mac) e.MacAddress = mac;
  const opts = { ...(n?.driver_opts ?? {}) };
  if (n?.interface_name) opts['com.docker.network.endpoint.ifname'] = n.interface_name;
  if (Object.keys(opts).length) e.DriverOpts = opts;
  if (n?.gw_priority !== undefined) e.GwPriority = n.gw_priority;
  if (primary) {
    const links = [...s.links.map((l) => {
      const [service, alias] = l.split(':') as [string, string];
      return `${serviceContainer(project, service)}:${alias}`;
    }), ...s.external_links.map((l) => (l.includes(':') ? l : `${l}:${l}`))];
    if (links.length) e.Links = links;
  }
  return e;
}
