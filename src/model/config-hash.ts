// The config hash decides replacement. It covers exactly the fields that force a new container, network or
// volume, in a canonical form: keys sorted, defaults omitted (so a field added by a later surge version does not
// change the hash of services that do not use it), set-like lists sorted. Changing this form changes every
// hash in the wild and recreates every user's stack: the golden tests in test/unit/config-hash.test.ts guard it.
import { createHash } from 'node:crypto';
import type { Network, Service, Volume } from './model.js';

export type Canonical = null | boolean | number | string | Canonical[] | { [key: string]: Canonical };

const SENSITIVE = /PASSWORD|SECRET|TOKEN|KEY/i;

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE.test(key);
}

/** Stable JSON: object keys sorted at every level. */
export function stableStringify(value: Canonical): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  let out: string;
  if (Array.isArray(value)) {
    out = '[';
    for (let i = 0; i < value.length; i++) out += `${i ? ',' : ''}${stableStringify(value[i] as Canonical)}`;
    return `${out}]`;
  }
  out = '{';
  let first = true;
  for (const k of Object.keys(value).sort()) {
    out += `${first ? '' : ','}${JSON.stringify(k)}:${stableStringify(value[k] as Canonical)}`;
    first = false;
  }
  return `${out}}`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v as object).length === 0;
  return false;
}

/** Drops default-valued entries so new optional fields never disturb existing hashes. */
function compact(entries: Record<string, unknown>): { [key: string]: Canonical } {
  const out: { [key: string]: Canonical } = {};
  for (const [k, v] of Object.entries(entries)) {
    if (!isEmpty(v)) out[k] = v as Canonical;
  }
  return out;
}

/** Sensitive values are kept only as digests: the canonical form is stored in a label for diffs. */
function maskedEnv(env: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) out[k] = isSensitiveKey(k) ? `sha256:${sha256(v).slice(0, 16)}` : v;
  return out;
}

const sorted = (xs: string[]): string[] => [...xs].sort();

/** The replacement-forcing fields of a service, canonical. Excludes replicas, depends_on, build, develop. */
export function canonicalServiceConfig(s: Service): { [key: string]: Canonical } {
  const gpu = s.gpu
    ? compact({ devices: s.gpu.devices, capabilities: sorted(s.gpu.capabilities), runtime: s.gpu.runtime })
    : null;
  const healthcheck = s.healthcheck
    ? compact({
        test: s.healthcheck.test,
        interval_ms: s.healthcheck.interval_ms,
        timeout_ms: s.healthcheck.timeout_ms,
        start_period_ms: s.healthcheck.start_period_ms,
        retries: s.healthcheck.retries,
      })
    : null;
  const networks: Record<string, Canonical> = {};
  for (const [name, n] of Object.entries(s.networks)) networks[name] = compact({ aliases: sorted(n.aliases) });
  return compact({
    driver: s.driver === 'docker' ? null : s.driver,
    image: s.image,
    command: s.command,
    entrypoint: s.entrypoint,
    environment: maskedEnv(s.environment),
    ports: s.ports.map((p) => compact({ ...p })),
    volumes: s.volumes.map((m) => compact({ ...m })),
    tmpfs: sorted(s.tmpfs),
    user: s.user,
    working_dir: s.working_dir,
    privileged: s.privileged,
    devices: s.devices.map((d) => compact({ ...d })),
    cap_add: sorted(s.cap_add),
    cap_drop: sorted(s.cap_drop),
    read_only: s.read_only,
    extra_hosts: sorted(s.extra_hosts),
    dns: s.dns,
    hostname: s.hostname,
    labels: s.labels,
    healthcheck,
    stop_signal: s.stop_signal,
    stop_grace_period_ms: s.stop_grace_period_ms,
    restart: s.restart === 'no' ? null : s.restart,
    cpu_limit: s.cpu_limit,
    memory_limit_bytes: s.memory_limit_bytes,
    networks,
    gpu,
    platform: s.platform,
  });
}

export function canonicalNetworkConfig(n: Network): { [key: string]: Canonical } {
  return compact({
    driver: n.driver,
    quic: n.quic,
    encryption: n.encryption,
    subnet: n.subnet,
    gateway: n.gateway,
    internal: n.internal,
    labels: n.labels,
  });
}

export function canonicalVolumeConfig(v: Volume): { [key: string]: Canonical } {
  return compact({ driver: v.driver === 'local' ? null : v.driver, driver_opts: v.driver_opts, labels: v.labels });
}

const VERSION_TAG = 'surge-config/v1';

export function hashCanonical(config: { [key: string]: Canonical }): string {
  return sha256(`${VERSION_TAG}\n${stableStringify(config)}`);
}

/**
 * The config hash of a service: it covers exactly the fields that force a new container, and stays stable across surge
 * versions.
 */
export function serviceConfigHash(s: Service): string {
  return hashCanonical(canonicalServiceConfig(s));
}

export function networkConfigHash(n: Network): string {
  return hashCanonical(canonicalNetworkConfig(n));
}

export function volumeConfigHash(v: Volume): string {
  return hashCanonical(canonicalVolumeConfig(v));
}
