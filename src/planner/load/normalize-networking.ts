// How a service reaches the network: the networks it joins (compose's long form: aliases, static addresses, MAC,
// priority, driver options), or a `network_mode` instead (host, none, service:NAME, container:NAME), Bolt's QUIC flag,
// and compose's legacy links.
import type { DriverKind, ServiceNetwork } from '../../model/model.js';
import { DEFAULT_NETWORK } from '../../model/model.js';
import type { RawService } from './boltfile-schema.js';
import { scalarString, type NormalizeContext } from './normalize-forms.js';
import type { Path } from './schema-walk.js';

type RawServiceNetwork = Exclude<NonNullable<RawService['networks']>, string[]>[string];

function serviceNetwork(raw: RawServiceNetwork): ServiceNetwork {
  const n: ServiceNetwork = { aliases: raw.aliases ?? [] };
  if (raw.ipv4_address !== undefined) n.ipv4_address = raw.ipv4_address;
  if (raw.ipv6_address !== undefined) n.ipv6_address = raw.ipv6_address;
  if (raw.link_local_ips !== undefined) n.link_local_ips = raw.link_local_ips;
  if (raw.mac_address !== undefined) n.mac_address = raw.mac_address;
  if (raw.priority !== undefined) n.priority = raw.priority;
  if (raw.gw_priority !== undefined) n.gw_priority = raw.gw_priority;
  if (raw.interface_name !== undefined) n.interface_name = raw.interface_name;
  if (raw.driver_opts !== undefined) {
    n.driver_opts = {};
    for (const [k, v] of Object.entries(raw.driver_opts)) n.driver_opts[k] = scalarString(v);
  }
  return n;
}

/** The network modes a service may name instead of networks; anything else is an engine network's name, as in compose. */
const SHARED = /^(service|container):(.+)$/;

export interface Networking {
  networks: Record<string, ServiceNetwork>;
  network_mode: string | null;
  links: string[];
  external_links: string[];
}

export function networking(name: string, raw: RawService, driver: DriverKind, path: Path, ctx: NormalizeContext, quicNetwork: () => string): Networking {
  const networks: Record<string, ServiceNetwork> = {};
  if (Array.isArray(raw.networks)) {
    raw.networks.forEach((n) => (networks[n] = { aliases: [] }));
  } else if (raw.networks) {
    // The container joins the network with the highest priority first (compose's rule); equal ones in the order written.
    const entries = Object.entries(raw.networks).map(([n, v], i) => ({ n, v, i }));
    entries.sort((a, b) => (b.v.priority ?? 0) - (a.v.priority ?? 0) || a.i - b.i);
    for (const { n, v } of entries) networks[n] = serviceNetwork(v);
  }
  const mode = raw.network_mode ?? null;
  if (mode !== null) {
    if (raw.networks !== undefined) ctx.error([...path, 'network_mode'], 'use either `network_mode` or `networks`, not both (compose refuses both)');
    const shared = SHARED.exec(mode);
    if (mode === '' || (shared && !shared[2])) ctx.error([...path, 'network_mode'], `invalid network_mode "${mode}" (host, none, bridge, service:NAME or container:NAME)`);
    if (raw.network?.quic_enabled || raw.network?.enable_quic) ctx.warn([...path, 'network'], `service "${name}" uses network_mode "${mode}": it joins no QUIC network`);
    if (raw.links !== undefined) ctx.warn([...path, 'links'], `links do not apply with network_mode "${mode}"`);
    return { networks: {}, network_mode: mode, links: [], external_links: raw.external_links ?? [] };
  }
  if (raw.network?.quic_enabled || raw.network?.enable_quic) {
    // A flag adds the QUIC network; it does not take the service off the default network the rest of the stack
    // is on (only listing `networks` does that, as in compose).
    if (driver === 'docker' && raw.networks === undefined) networks[DEFAULT_NETWORK] = { aliases: [] };
    networks[quicNetwork()] = { aliases: [] };
  }
  if (driver === 'docker' && Object.keys(networks).length === 0) networks[DEFAULT_NETWORK] = { aliases: [] };
  if (driver === 'process' && raw.networks !== undefined) {
    ctx.warn([...path, 'networks'], `service "${name}" is a host process: networks do not apply to it`);
  }
  const links: string[] = [];
  for (const [i, l] of (raw.links ?? []).entries()) {
    const [service, alias, extra] = l.split(':');
    if (!service || extra !== undefined || alias === '') ctx.error([...path, 'links', i], `invalid link "${l}" (write "SERVICE" or "SERVICE:ALIAS")`);
    else links.push(`${service}:${alias ?? service}`);
  }
  return { networks, network_mode: null, links, external_links: raw.external_links ?? [] };
}

/** The service a `service:NAME` reference names (network_mode, ipc, pid, uts, cgroup), or null. */
export function sharedService(mode: string | null): string | null {
  const m = mode === null ? null : /^service:(.+)$/.exec(mode);
  return m ? (m[1] as string) : null;
}
