// The config hash decides replacement. It covers exactly the fields that force a new container, network or
// volume, in a canonical form: keys sorted, defaults omitted (so a field added by a later surge version does not
// change the hash of services that do not use it), set-like lists sorted. Changing this form changes every
// hash in the wild and recreates every user's stack: the golden tests in test/unit/config-hash.test.ts guard it.
//
// Sensitive values (env keys matching PASSWORD, SECRET, TOKEN, KEY) never enter the canonical form: it is stored in
// the `surge.config` label and labels travel (monitoring exports them, `docker ps` shows them). Each is kept as a
// 16-hex digest so a change is still detected and named ("env API_KEY changed"). Design of that digest:
//
// - Salted: `hmac-sha256:` HMAC-SHA256 keyed by a per-project random salt, over "KEY=value". A digest of a short
//   secret cannot be looked up in a precomputed table, and the same secret in two projects (or under two keys) gives
//   unrelated digests. The salt is not secret: it is the canonical field `secret_salt`, present only when the
//   service has sensitive values. (Anyone who can read labels can still try guesses against one digest, as against
//   any salted hash; such a reader can usually read the container's environment through the same engine API.)
// - Where the salt lives: in the live objects, which are surge's only state. The planner (pure) takes the salt of
//   the project's first live container that carries one (`projectConfigSalt`, by name), so two machines planning
//   the same stack compute the same hashes; with none live, the caller's fresh random salt from the observed state
//   (`ObservedState.configSalt`, made by `newConfigSalt()` when observing), else one derived from the project name.
//   A create or recreate action carries the salt it was planned with (`Action.configSalt`), so the driver labels
//   the container with exactly the canonical form and hash the planner computed.
// - Upgrades recreate nothing: a live container whose recorded config has no `secret_salt` was labelled the old
//   way (`sha256:` of the bare value) and is compared the old way (`canonicalServiceConfig(s, null)`, the legacy
//   form, kept byte for byte). It moves to the salted form only when it is recreated for another reason.
import * as cryptoModule from 'node:crypto';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Network, Service, Volume } from './model.js';

export type Canonical = null | boolean | number | string | Canonical[] | { [key: string]: Canonical };

const SENSITIVE = /PASSWORD|SECRET|TOKEN|KEY/i;

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE.test(key);
}

const isScalar = (v: Canonical): boolean => v === null || typeof v !== 'object';

/** Stable JSON: object keys sorted at every level. */
export function stableStringify(value: Canonical): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  let out: string;
  if (Array.isArray(value)) {
    // A list of scalars (a command, most lists) is what JSON.stringify writes, natively.
    if (value.every(isScalar)) return JSON.stringify(value);
    out = '[';
    for (let i = 0; i < value.length; i++) out += `${i ? ',' : ''}${stableStringify(value[i] as Canonical)}`;
    return `${out}]`;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return '{}';
  if (keys.length > 1) keys.sort();
  out = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    if (i) out += ',';
    out += JSON.stringify(k);
    out += ':';
    out += stableStringify(value[k] as Canonical);
  }
  return `${out}}`;
}

// Node ≥ 20.12 has a one-shot hash, several times cheaper than a Hash object per call (a plan hashes every service).
const oneShot = (cryptoModule as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

export function sha256(text: string): string {
  return oneShot ? oneShot('sha256', text, 'hex') : createHash('sha256').update(text).digest('hex');
}

function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') {
    // (no key array allocated: this runs for every field of every service on every plan)
    for (const _ in v as object) return false;
    return true;
  }
  return false;
}

/** Drops default-valued entries so new optional fields never disturb existing hashes. */
function compact(entries: Record<string, unknown>): { [key: string]: Canonical } {
  const out: { [key: string]: Canonical } = {};
  for (const k in entries) {
    const v = entries[k];
    if (!isEmpty(v)) out[k] = v as Canonical;
  }
  return out;
}

/**
 * Sets `key` unless `value` has its default (what compact drops). The service's canonical form is built this way, not
 * as one literal of its ~80 fields compacted afterwards: a 5,000-service plan built and walked 400,000 entries to
 * keep some 25,000.
 */
function put(out: { [key: string]: Canonical }, key: string, value: unknown): void {
  if (!isEmpty(value)) out[key] = value as Canonical;
}

const SALT = /^[0-9a-f]{32}$/;

/** A fresh random salt for a project that has no live object carrying one yet (not for the pure planner). */
export function newConfigSalt(): string {
  return randomBytes(16).toString('hex');
}

/** The salt a recorded canonical config was made with; null for the legacy (unsalted) form or no record. */
export function configSaltOf(config: Record<string, unknown> | null): string | null {
  const salt = config?.secret_salt;
  return typeof salt === 'string' && SALT.test(salt) ? salt : null;
}

/**
 * The salt new containers of a project get: the first live one's (by name, then id) so a project converges on one
 * salt and every machine agrees; else the caller's fresh one; else one derived from the project name (callers that
 * observe nothing, tests).
 */
export function projectConfigSalt(containers: readonly { name: string; id: string; config: Record<string, unknown> | null }[], fresh: string | undefined, project: string): string {
  const live = [...containers].sort((a, b) => (a.name === b.name ? (a.id < b.id ? -1 : 1) : a.name < b.name ? -1 : 1));
  for (const c of live) {
    const salt = configSaltOf(c.config);
    if (salt) return salt;
  }
  if (fresh !== undefined && SALT.test(fresh)) return fresh;
  return sha256(`surge-config-salt/v1\n${project}`).slice(0, 32);
}

/**
 * Sensitive values are kept only as digests: the canonical form is stored in a label for diffs. `salt` null is the
 * legacy form (sha256 of the bare value), kept only to compare with containers labelled that way.
 */
function maskedEnv(env: Record<string, string>, salt: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (!isSensitiveKey(k)) out[k] = v;
    else if (salt === null) out[k] = `sha256:${sha256(v).slice(0, 16)}`;
    else out[k] = `hmac-sha256:${createHmac('sha256', Buffer.from(salt, 'hex')).update(`${k}=${v}`).digest('hex').slice(0, 16)}`;
  }
  return out;
}

/** A sorted copy; an empty list as it is (most are, and compact drops them: one copy less for each of them). */
const sorted = (xs: string[]): string[] => (xs.length === 0 ? xs : [...xs].sort());

/**
 * The replacement-forcing fields of a service, canonical. Excludes replicas, depends_on, build, develop, profiles,
 * pull_policy, hooks, attach and the Swarm-only parts of deploy: changing those never needs a new container. `salt`:
 * the project's (see the header); null gives the legacy form for containers labelled before salting.
 */
export function canonicalServiceConfig(s: Service, salt: string | null): { [key: string]: Canonical } {
  salt ??= null; // a JavaScript caller that passes nothing gets the legacy form, never an exception
  const sensitive = Object.keys(s.environment).some(isSensitiveKey);
  const gpu = s.gpu
    ? compact({ devices: s.gpu.devices, capabilities: sorted(s.gpu.capabilities), runtime: s.gpu.runtime, count: s.gpu.count })
    : null;
  const healthcheck = s.healthcheck
    ? compact({
        test: s.healthcheck.test,
        interval_ms: s.healthcheck.interval_ms,
        timeout_ms: s.healthcheck.timeout_ms,
        start_period_ms: s.healthcheck.start_period_ms,
        start_interval_ms: s.healthcheck.start_interval_ms,
        retries: s.healthcheck.retries,
      })
    : null;
  const networks: Record<string, Canonical> = {};
  for (const name in s.networks) {
    const n = s.networks[name] as Service['networks'][string];
    // The attachment's fields copied one by one rather than spread: a spread into a literal with more keys after it
    // is built key by key on V8's slow path (5,000 services: a fifth of this function).
    const entries: Record<string, unknown> = {};
    for (const k in n) entries[k] = k === 'aliases' ? sorted(n.aliases) : n[k as keyof typeof n];
    networks[name] = compact(entries);
  }
  const out: { [key: string]: Canonical } = {};
  put(out, 'driver', s.driver === 'docker' ? null : s.driver);
  put(out, 'image', s.image);
  put(out, 'command', s.command);
  put(out, 'entrypoint', s.entrypoint);
  put(out, 'environment', maskedEnv(s.environment, salt));
  put(out, 'secret_salt', sensitive ? salt : null);
  // A port's name, app_protocol and mode describe it; they do not change what the engine binds.
  put(out, 'ports', s.ports.length === 0 ? s.ports : s.ports.map((p) => compact({ target: p.target, published: p.published, host_ip: p.host_ip, protocol: p.protocol })));
  put(out, 'volumes', s.volumes.length === 0 ? s.volumes : s.volumes.map((m) => compact({ ...m })));
  put(out, 'tmpfs', sorted(s.tmpfs));
  put(out, 'user', s.user);
  put(out, 'working_dir', s.working_dir);
  put(out, 'privileged', s.privileged);
  put(out, 'devices', s.devices.length === 0 ? s.devices : s.devices.map((d) => compact({ ...d })));
  put(out, 'cap_add', sorted(s.cap_add));
  put(out, 'cap_drop', sorted(s.cap_drop));
  put(out, 'read_only', s.read_only);
  put(out, 'extra_hosts', sorted(s.extra_hosts));
  put(out, 'dns', s.dns);
  put(out, 'hostname', s.hostname);
  put(out, 'labels', s.labels);
  put(out, 'healthcheck', healthcheck);
  put(out, 'stop_signal', s.stop_signal);
  put(out, 'stop_grace_period_ms', s.stop_grace_period_ms);
  put(out, 'restart', s.restart === 'no' ? null : s.restart);
  put(out, 'cpu_limit', s.cpu_limit);
  put(out, 'memory_limit_bytes', s.memory_limit_bytes);
  put(out, 'networks', networks);
  put(out, 'gpu', gpu);
  put(out, 'platform', s.platform);
  // compose's keys: each one omitted while it has its default, so services without them keep their hash.
  put(out, 'container_name', s.container_name);
  put(out, 'expose', sorted(s.expose));
  // false is a choice too (the engine's default init may be on)
  put(out, 'init', s.init === null ? null : String(s.init));
  put(out, 'ulimits', s.ulimits);
  put(out, 'sysctls', s.sysctls);
  put(out, 'shm_size_bytes', s.shm_size_bytes);
  put(out, 'network_mode', s.network_mode);
  put(out, 'pid', s.pid);
  put(out, 'ipc', s.ipc);
  put(out, 'uts', s.uts);
  put(out, 'userns_mode', s.userns_mode);
  put(out, 'cgroup', s.cgroup);
  put(out, 'cgroup_parent', s.cgroup_parent);
  put(out, 'logging', s.logging ? compact({ driver: s.logging.driver, options: s.logging.options }) : null);
  put(out, 'security_opt', s.security_opt);
  put(out, 'stdin_open', s.stdin_open);
  put(out, 'tty', s.tty);
  put(out, 'group_add', sorted(s.group_add));
  put(out, 'dns_search', s.dns_search);
  put(out, 'dns_opt', s.dns_opt);
  put(out, 'domainname', s.domainname);
  put(out, 'mac_address', s.mac_address);
  put(out, 'oom_score_adj', s.oom_score_adj);
  put(out, 'oom_kill_disable', s.oom_kill_disable);
  put(out, 'mem_reservation_bytes', s.mem_reservation_bytes);
  put(out, 'memswap_limit_bytes', s.memswap_limit_bytes);
  put(out, 'mem_swappiness', s.mem_swappiness);
  put(out, 'cpu_shares', s.cpu_shares);
  put(out, 'cpu_period', s.cpu_period);
  put(out, 'cpu_quota', s.cpu_quota);
  put(out, 'cpu_rt_period', s.cpu_rt_period);
  put(out, 'cpu_rt_runtime', s.cpu_rt_runtime);
  put(out, 'cpu_count', s.cpu_count);
  put(out, 'cpu_percent', s.cpu_percent);
  put(out, 'cpuset', s.cpuset);
  put(out, 'pids_limit', s.pids_limit);
  put(out, 'blkio_config', s.blkio_config ? compact({ ...s.blkio_config }) : null);
  put(out, 'device_cgroup_rules', s.device_cgroup_rules);
  put(out, 'device_requests', s.device_requests.length === 0 ? s.device_requests : s.device_requests.map((r) => compact({ ...r })));
  put(out, 'runtime', s.runtime);
  put(out, 'storage_opt', s.storage_opt);
  put(out, 'isolation', s.isolation);
  put(out, 'annotations', s.annotations);
  put(out, 'volumes_from', s.volumes_from);
  put(out, 'links', sorted(s.links));
  put(out, 'external_links', sorted(s.external_links));
  // Where secrets and configs land and from which file; their content counts in the hash only (fileContentDigest).
  put(out, 'secrets', s.secrets.length === 0 ? s.secrets : s.secrets.map((f) => compact({ source: f.source, target: f.target, uid: f.uid, gid: f.gid, mode: f.mode, file: f.file })));
  put(out, 'configs', s.configs.length === 0 ? s.configs : s.configs.map((f) => compact({ source: f.source, target: f.target, uid: f.uid, gid: f.gid, mode: f.mode, file: f.file })));
  put(out, 'use_api_socket', s.use_api_socket);
  return out;
}

/**
 * The content of the secrets and configs copied into the container (environment and inline ones) changes the hash,
 * so a new value gives a new container; it is never part of the stored canonical config, not even as a digest, so no
 * plan or label can show it. The plan then says "config changed".
 */
function fileContentDigest(s: Service): string | null {
  if (s.secrets.length === 0 && s.configs.length === 0) return null;
  const parts: string[] = [];
  for (const f of [...s.secrets, ...s.configs]) if (f.content) parts.push(`${f.target}\n${f.content.reveal()}`);
  return parts.length ? sha256(parts.join('\n\0')) : null;
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
    engine_name: n.engine_name,
    driver_opts: n.driver_opts,
    attachable: n.attachable,
    // IPv4 is on unless turned off, IPv6 off unless turned on: only the non-default value is recorded.
    ipv4_disabled: n.enable_ipv4 === false,
    enable_ipv6: n.enable_ipv6,
    ipam: n.ipam ? compact({ driver: n.ipam.driver, config: n.ipam.config.map((c) => compact({ ...c })), options: n.ipam.options }) : undefined,
  });
}

export function canonicalVolumeConfig(v: Volume): { [key: string]: Canonical } {
  return compact({ driver: v.driver === 'local' ? null : v.driver, driver_opts: v.driver_opts, labels: v.labels, engine_name: v.engine_name });
}

const VERSION_TAG = 'surge-config/v1';

export function hashCanonical(config: { [key: string]: Canonical }): string {
  return sha256(`${VERSION_TAG}\n${stableStringify(config)}`);
}

/**
 * The config hash of a service: it covers exactly the fields that force a new container, and stays stable across surge
 * versions. `salt`: the project's salt for sensitive values' digests (the one on its live containers); without one,
 * the legacy unsalted form (what containers labelled before salting carry). `canonical`: the service's canonical
 * config with that salt, when the caller has it already (the planner diffs with it too).
 */
export function serviceConfigHash(s: Service, salt: string | null = null, canonical: { [key: string]: Canonical } = canonicalServiceConfig(s, salt)): string {
  const content = fileContentDigest(s);
  return hashCanonical(content ? { ...canonical, file_content: content } : canonical);
}

export function networkConfigHash(n: Network): string {
  return hashCanonical(canonicalNetworkConfig(n));
}

export function volumeConfigHash(v: Volume): string {
  return hashCanonical(canonicalVolumeConfig(v));
}
