// Top-level [network] / [networks.NAME] and [volumes.NAME] → the model's networks and volumes, with compose's keys
// (name, ipam, driver_opts, attachable, enable_ipv4/6, external as true or { name }) and Bolt's (quic, encryption,
// the subnet/gateway shorthand).
import { networkEngineName, volumeEngineName } from '../../model/naming.js';
import type { Ipam, Network, Volume } from '../../model/model.js';
import type { RawNetwork, RawVolume } from './boltfile-schema.js';
import { keyValues, scalarString, type NormalizeContext } from './normalize-forms.js';
import type { Path } from './schema-walk.js';

/** The network a service joins when it asks for QUIC and the Boltfile declares none. */
export const QUIC_NETWORK = 'quic';
const BOLT_NETWORK_DRIVERS = new Set(['bolt', 'bolt-bridge']);
const BOLT_VOLUME_DRIVERS = new Set(['bolt', 'bolt-native']);

/** A network no table declares (the default one, the QUIC one): a plain bridge. */
export function implicitNetwork(name: string, quic: boolean): Network {
  return {
    name,
    driver: 'bridge',
    quic,
    encryption: false,
    subnet: null,
    gateway: null,
    internal: false,
    external: false,
    external_name: null,
    labels: {},
  };
}

function options(raw: Record<string, string | number | boolean> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw ?? {})) out[k] = scalarString(v);
  return out;
}

/** `external = true` or the older `external = { name = "…" }`; the engine-side name for an external object. */
function externalName(raw: RawNetwork['external'], name: string | undefined, key: string): { external: boolean; external_name: string | null } {
  if (raw === undefined || raw === false) return { external: false, external_name: null };
  return { external: true, external_name: (typeof raw === 'object' ? raw.name : undefined) ?? name ?? key };
}

function ipam(raw: RawNetwork['ipam']): Ipam | null {
  if (!raw) return null;
  return {
    driver: raw.driver ?? null,
    config: (raw.config ?? []).map((c) => ({ subnet: c.subnet ?? null, gateway: c.gateway ?? null, ip_range: c.ip_range ?? null, aux_addresses: c.aux_addresses ?? {} })),
    options: options(raw.options),
  };
}

export function network(name: string, raw: RawNetwork, path: Path, ctx: NormalizeContext): Network {
  let driver = raw.driver ?? 'bridge';
  let quic = raw.enable_quic ?? raw.quic?.enabled ?? false;
  if (driver === 'quic') {
    driver = 'bridge';
    quic = true;
  } else if (BOLT_NETWORK_DRIVERS.has(driver)) {
    ctx.warn([...path, 'driver'], `network driver "${driver}" is Bolt's own; surge creates a bridge network`);
    driver = 'bridge';
  }
  const ext = externalName(raw.external, raw.name, name);
  const n: Network = {
    name,
    driver,
    quic,
    encryption: raw.encryption ?? false,
    subnet: raw.subnet ?? null,
    gateway: raw.gateway ?? null,
    internal: raw.internal ?? false,
    ...ext,
    labels: keyValues(raw.labels, [...path, 'labels'], ctx, 'label', false),
  };
  // compose's keys, set only where written: a network declared without them keeps its config hash.
  // The engine name surge would give it anyway (what `config --format yaml` prints) is no choice of the user's.
  if (!ext.external && raw.name !== undefined && raw.name !== networkEngineName(ctx.projectName, name)) n.engine_name = raw.name;
  if (raw.driver_opts !== undefined) n.driver_opts = options(raw.driver_opts);
  if (raw.attachable !== undefined) n.attachable = raw.attachable;
  if (raw.enable_ipv4 !== undefined) n.enable_ipv4 = raw.enable_ipv4;
  if (raw.enable_ipv6 !== undefined) n.enable_ipv6 = raw.enable_ipv6;
  const i = ipam(raw.ipam);
  if (i) n.ipam = i;
  if (raw.attachable && driver !== 'overlay') ctx.warn([...path, 'attachable'], 'applies to overlay networks (Swarm) only');
  if (ext.external) {
    for (const key of ['driver', 'driver_opts', 'ipam', 'subnet', 'gateway', 'internal', 'labels'] as const) {
      if (raw[key] !== undefined) ctx.warn([...path, key], 'an external network is used as it is: surge does not create it');
    }
  }
  return n;
}

export function volume(name: string, raw: RawVolume, path: Path, ctx: NormalizeContext): Volume {
  let driver = raw.driver ?? 'local';
  if (BOLT_VOLUME_DRIVERS.has(driver)) {
    ctx.warn([...path, 'driver'], `volume driver "${driver}" is Bolt's own; surge creates a local volume`);
    driver = 'local';
  }
  const ext = externalName(raw.external, raw.name, name);
  const v: Volume = {
    name,
    driver,
    driver_opts: options(raw.driver_opts),
    labels: keyValues(raw.labels, [...path, 'labels'], ctx, 'label', false),
    ...ext,
  };
  if (!ext.external && raw.name !== undefined && raw.name !== volumeEngineName(ctx.projectName, name)) v.engine_name = raw.name;
  return v;
}
