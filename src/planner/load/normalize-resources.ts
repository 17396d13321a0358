// Top-level [network] / [networks.NAME] and [volumes.NAME] → the model's networks and volumes.
import type { Network, Volume } from '../../model/model.js';
import type { RawNetwork, RawVolume } from './boltfile-schema.js';
import { keyValues, scalarString, type NormalizeContext } from './normalize-forms.js';
import type { Path } from './schema-walk.js';

/** The network a service joins when it asks for QUIC and the Boltfile declares none. */
export const QUIC_NETWORK = 'quic';
const BOLT_NETWORK_DRIVERS = new Set(['bolt', 'bolt-bridge']);

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

function labelsOf(raw: RawNetwork['labels'], path: Path, ctx: NormalizeContext): Record<string, string> {
  return keyValues(raw, path, ctx, 'label', false);
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
  return {
    name,
    driver,
    quic,
    encryption: raw.encryption ?? false,
    subnet: raw.subnet ?? null,
    gateway: raw.gateway ?? null,
    internal: raw.internal ?? false,
    external: raw.external ?? false,
    external_name: raw.external ? (raw.name ?? name) : null,
    labels: labelsOf(raw.labels, [...path, 'labels'], ctx),
  };
}

const BOLT_VOLUME_DRIVERS = new Set(['bolt', 'bolt-native']);

export function volume(name: string, raw: RawVolume, path: Path, ctx: NormalizeContext): Volume {
  let driver = raw.driver ?? 'local';
  if (BOLT_VOLUME_DRIVERS.has(driver)) {
    ctx.warn([...path, 'driver'], `volume driver "${driver}" is Bolt's own; surge creates a local volume`);
    driver = 'local';
  }
  const opts: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw.driver_opts ?? {})) opts[k] = scalarString(v);
  return {
    name,
    driver,
    driver_opts: opts,
    labels: labelsOf(raw.labels, [...path, 'labels'], ctx),
    external: raw.external ?? false,
    external_name: raw.external ? (raw.name ?? name) : null,
  };
}
