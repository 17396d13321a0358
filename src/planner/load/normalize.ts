// Validated Boltfile data → the normalized model. Every accepted form of a key collapses here; problems are
// reported with the key path they came from so the loader can locate them in the TOML source.
import type {
  Build,
  Dependency,
  DeviceMapping,
  DriverKind,
  Healthcheck,
  Mount,
  Network,
  PortMapping,
  Project,
  Service,
  ServiceNetwork,
  Volume,
  WatchRule,
} from '../../model/model.js';
import { DEFAULT_NETWORK } from '../../model/model.js';
import type { RawBoltfile, RawHealthcheck, RawKeyValues, RawNetwork, RawService, RawVolume } from './boltfile-schema.js';
import { parseDotenv, type Lookup } from './dotenv.js';
import { gpuEnvironment, normalizeGpu } from './gpu.js';
import { parseMount, parseMountTableEntry, resolveHostPath } from './mounts.js';
import { parsePort } from './ports.js';
import { readConfigFile } from './safe-read.js';
import { safeDotenvMessage } from './sensitive.js';
import type { Path } from './schema-walk.js';
import { splitShellWords } from './shell-words.js';
import { closestMatch } from './suggest.js';
import { parseByteSize, parseCpus, parseDuration } from './units.js';

export interface NormalizeContext {
  projectName: string;
  workingDir: string;
  files: string[];
  /** variables for bare `KEY` environment entries */
  lookup: Lookup;
  /** A message may be given as a function: it is built only for problems that are shown (see diagnostics.ts). */
  error(path: Path, message: string | (() => string)): void;
  warn(path: Path, message: string | (() => string)): void;
  /** told of every other file the model is read from (services' env_file), so watch can follow it */
  input?(file: string): void;
}

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const RESTART = /^(no|always|unless-stopped|on-failure(:\d+)?)$/;
/** The network a service joins when it asks for QUIC and the Boltfile declares none. */
export const QUIC_NETWORK = 'quic';
const BOLT_NETWORK_DRIVERS = new Set(['bolt', 'bolt-bridge']);

/** The first index of each name in a list form (`depends_on = ["db"]`), or null for the table form. */
function listIndex(raw: unknown): Map<string, number> | null {
  if (!Array.isArray(raw)) return null;
  const out = new Map<string, number>();
  raw.forEach((name, i) => {
    if (typeof name === 'string' && !out.has(name)) out.set(name, i);
  });
  return out;
}

/** "; did you mean `db`?" for a reference to a name that is not declared, when one is close. */
function didYouMean(name: string, known: string[]): string {
  const guess = closestMatch(name, known);
  return guess ? `; did you mean \`${guess}\`?` : '';
}

function scalarString(v: string | number | boolean): string {
  return typeof v === 'string' ? v : String(v);
}

function keyValues(raw: RawKeyValues | undefined, path: Path, ctx: NormalizeContext, what: string, fromEnv: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw === undefined) return out;
  if (Array.isArray(raw)) {
    raw.forEach((entry, i) => {
      const eq = entry.indexOf('=');
      const key = eq < 0 ? entry : entry.slice(0, eq);
      if (key.trim() === '' || /\s/.test(key)) {
        // Not echoed: an entry that is not KEY=value may be a pasted secret. The location points at it.
        const wrong = eq < 0 ? 'it has no "=" and' : 'the name before "="';
        ctx.error([...path, i], `invalid ${what} entry: ${wrong} ${key.trim() === '' ? 'is empty' : 'contains whitespace'} (write "KEY=value")`);
        return;
      }
      if (eq >= 0) out[key] = entry.slice(eq + 1);
      else if (fromEnv) {
        const v = ctx.lookup(key);
        if (v !== undefined) out[key] = v;
      } else out[key] = '';
    });
    return out;
  }
  for (const [k, v] of Object.entries(raw)) out[k] = scalarString(v);
  return out;
}

function command(raw: string | string[] | undefined, driver: DriverKind, path: Path, ctx: NormalizeContext): string[] | null {
  if (raw === undefined) return null;
  if (Array.isArray(raw)) return raw;
  // A string runs through a shell for host processes (like a Procfile); containers get compose's word split.
  if (driver === 'process') return ['/bin/sh', '-c', raw];
  const split = splitShellWords(raw);
  if (!split.ok) {
    ctx.error(path, split.message);
    return null;
  }
  return split.words;
}

function duration(raw: string | number | undefined, path: Path, ctx: NormalizeContext): number | null {
  if (raw === undefined) return null;
  const d = parseDuration(raw);
  if (!d.ok) {
    ctx.error(path, d.message);
    return null;
  }
  return d.value;
}

function healthcheck(raw: RawHealthcheck, path: Path, ctx: NormalizeContext): Healthcheck | null {
  let test: string[];
  if (raw.disable) test = ['NONE'];
  else if (raw.test === undefined) {
    ctx.error(path, 'a healthcheck needs a `test` (or `disable = true`)');
    return null;
  } else if (typeof raw.test === 'string') test = ['CMD-SHELL', raw.test];
  else {
    const head = raw.test[0];
    if (head !== 'CMD' && head !== 'CMD-SHELL' && head !== 'NONE') {
      ctx.error([...path, 'test'], 'healthcheck test must start with "CMD", "CMD-SHELL" or "NONE" (or be a string run by the shell)');
      return null;
    }
    test = raw.test;
  }
  return {
    test,
    interval_ms: duration(raw.interval, [...path, 'interval'], ctx),
    timeout_ms: duration(raw.timeout, [...path, 'timeout'], ctx),
    start_period_ms: duration(raw.start_period, [...path, 'start_period'], ctx),
    retries: raw.retries ?? null,
  };
}

function build(raw: RawService['build'], path: Path, ctx: NormalizeContext): Build | null {
  if (raw === undefined) return null;
  if (typeof raw === 'string') return { context: resolveHostPath(raw, ctx.workingDir), dockerfile: null, args: {}, target: null, labels: {}, no_cache: false };
  return {
    context: resolveHostPath(raw.context ?? '.', ctx.workingDir),
    dockerfile: raw.dockerfile ?? null,
    args: keyValues(raw.args, [...path, 'args'], ctx, 'build arg', true),
    target: raw.target ?? null,
    labels: keyValues(raw.labels, [...path, 'labels'], ctx, 'label', false),
    no_cache: raw.no_cache ?? false,
  };
}

function device(entry: string, path: Path, ctx: NormalizeContext): DeviceMapping | null {
  const parts = entry.split(':');
  if (parts.length > 3 || !parts[0]) {
    ctx.error(path, `invalid device "${entry}" (use "/dev/x", "/dev/x:/dev/y" or "/dev/x:/dev/y:rwm")`);
    return null;
  }
  const source = parts[0];
  const target = parts[1] ?? source;
  const permissions = parts[2] ?? 'rwm';
  if (!/^[rwm]+$/.test(permissions)) {
    ctx.error(path, `invalid device permissions "${permissions}" in "${entry}" (any of r, w, m)`);
    return null;
  }
  return { source, target, permissions };
}

function stringList(raw: string | string[] | undefined): string[] {
  if (raw === undefined) return [];
  return Array.isArray(raw) ? raw : [raw];
}

/** Settings a container engine applies and a host process cannot (`networks` has its own warning). */
const CONTAINER_ONLY = [
  'image', 'build', 'entrypoint', 'ports', 'volumes', 'labels', 'user', 'privileged', 'devices', 'cap_add', 'cap_drop',
  'capabilities', 'read_only', 'tmpfs', 'extra_hosts', 'dns', 'hostname', 'cpu_limit', 'cpus', 'memory_limit', 'mem_limit',
  'network', 'gpu', 'gpu_enabled', 'platform',
] as const satisfies readonly (keyof RawService)[];

function driverOf(raw: RawService, top: DriverKind | undefined): DriverKind {
  if (raw.driver) return raw.driver;
  if (raw.image !== undefined || raw.build !== undefined) return top ?? 'docker';
  if (raw.command !== undefined) return top ?? 'process';
  return top ?? 'docker';
}

function envFiles(raw: RawService, path: Path, ctx: NormalizeContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [i, file] of stringList(raw.env_file).entries()) {
    const at: Path = Array.isArray(raw.env_file) ? [...path, 'env_file', i] : [...path, 'env_file'];
    const abs = resolveHostPath(file, ctx.workingDir);
    ctx.input?.(abs);
    const read = readConfigFile(abs);
    if (!read.ok) {
      ctx.error(at, read.reason === 'missing' ? `env_file "${file}" not found (looked at ${abs})` : `env_file "${file}" ${read.message} (${abs})`);
      continue;
    }
    const parsed = parseDotenv(read.text, ctx.lookup);
    if (!parsed.ok) {
      ctx.error(at, `${abs}:${parsed.line}:${parsed.column}: ${safeDotenvMessage(parsed.message, read.text, parsed.line)}`);
      continue;
    }
    for (const e of parsed.entries) out[e.key] = e.value;
  }
  return out;
}

function service(name: string, raw: RawService, doc: RawBoltfile, ctx: NormalizeContext, quicNetwork: () => string): Service {
  const path: Path = ['services', name];
  const driver = driverOf(raw, doc.driver);
  if (driver === 'process' && raw.command === undefined) {
    ctx.error(path, `service "${name}" runs as a host process but has no \`command\``);
  }

  if (driver === 'docker' && raw.image === undefined && raw.build === undefined) {
    ctx.warn(path, `service "${name}" has no image or build, so surge cannot run it${'capsule' in raw ? ' (`capsule` is Bolt\'s own format)' : ''}`);
  }

  const environment: Record<string, string> = {
    ...envFiles(raw, path, ctx),
    ...keyValues(raw.env, [...path, 'env'], ctx, 'environment', true),
    ...keyValues(raw.environment, [...path, 'environment'], ctx, 'environment', true),
  };

  const depends_on: Record<string, Dependency> = {};
  if (Array.isArray(raw.depends_on)) {
    for (const dep of raw.depends_on) depends_on[dep] = { condition: 'service_started', required: true, restart: false };
  } else if (raw.depends_on) {
    for (const [dep, d] of Object.entries(raw.depends_on)) {
      depends_on[dep] = { condition: d.condition ?? 'service_started', required: d.required ?? true, restart: d.restart ?? false };
    }
  }

  const ports: PortMapping[] = [];
  const addPorts = (list: RawService['ports'], at: Path): void => {
    list?.forEach((p, i) => {
      const r = parsePort(p);
      if (r.ok) ports.push(r.value);
      else ctx.error([...at, i], r.message);
    });
  };
  addPorts(raw.ports, [...path, 'ports']);
  addPorts(raw.network?.ports, [...path, 'network', 'ports']);

  const volumes: Mount[] = [];
  const declaredVolume = (m: Mount, at: Path): void => {
    if (m.type === 'volume' && m.source !== null && !doc.volumes?.[m.source]) {
      const source = m.source;
      ctx.error(at, () => `volume "${source}" is not declared${didYouMean(source, Object.keys(doc.volumes ?? {})) || `; add [volumes.${source}] or use a path like "./${source}" for a host folder`}`);
      return;
    }
    volumes.push(m);
  };
  if (Array.isArray(raw.volumes)) {
    raw.volumes.forEach((v, i) => {
      const r = parseMount(v, ctx.workingDir);
      if (r.ok) declaredVolume(r.value, [...path, 'volumes', i]);
      else ctx.error([...path, 'volumes', i], r.message);
    });
  } else if (raw.volumes) {
    for (const [source, spec] of Object.entries(raw.volumes)) {
      const r = parseMountTableEntry(source, spec, ctx.workingDir);
      if (r.ok) declaredVolume(r.value, [...path, 'volumes', source]);
      else ctx.error([...path, 'volumes', source], r.message);
    }
  }

  if (raw.healthcheck && raw.health) ctx.error([...path, 'health'], 'use either `healthcheck` or `health`, not both');
  const hc = raw.healthcheck ?? raw.health;
  const hcKey = raw.healthcheck ? 'healthcheck' : 'health';

  const restart = raw.restart ?? 'no';
  if (!RESTART.test(restart)) {
    ctx.error([...path, 'restart'], `invalid restart policy "${restart}" (no, always, unless-stopped, on-failure or on-failure:N)`);
  }

  const devices: DeviceMapping[] = [];
  raw.devices?.forEach((d, i) => {
    const m = device(d, [...path, 'devices', i], ctx);
    if (m) devices.push(m);
  });

  const extraHosts: string[] = Array.isArray(raw.extra_hosts)
    ? raw.extra_hosts.map((h) => h.replace(/^([^:=]+)=/, '$1:'))
    : Object.entries(raw.extra_hosts ?? {}).map(([h, ip]) => `${h}:${ip}`);

  let cpu: number | null = null;
  const cpuRaw = raw.cpu_limit ?? raw.cpus;
  if (cpuRaw !== undefined) {
    const c = parseCpus(cpuRaw);
    if (c.ok) cpu = c.value;
    else ctx.error([...path, raw.cpu_limit !== undefined ? 'cpu_limit' : 'cpus'], c.message);
  }
  let memory: number | null = null;
  const memRaw = raw.memory_limit ?? raw.mem_limit;
  if (memRaw !== undefined) {
    const m = parseByteSize(memRaw);
    if (m.ok) memory = m.value;
    else ctx.error([...path, raw.memory_limit !== undefined ? 'memory_limit' : 'mem_limit'], m.message);
  }

  const networks: Record<string, ServiceNetwork> = {};
  if (Array.isArray(raw.networks)) {
    raw.networks.forEach((n) => (networks[n] = { aliases: [] }));
  } else if (raw.networks) {
    for (const [n, v] of Object.entries(raw.networks)) networks[n] = { aliases: v.aliases ?? [] };
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
  if (driver === 'process') {
    // A host process runs as the user running surge, unconfined: say so rather than silently drop the setting.
    for (const key of CONTAINER_ONLY) {
      if (raw[key] !== undefined) ctx.warn([...path, key], `service "${name}" is a host process: \`${key}\` does not apply to it`);
    }
  }

  const gpu = normalizeGpu(raw, path, ctx.error);
  // Workload tables mean something only with their workload type and a GPU: say so rather than drop them quietly.
  const workload = raw.workload_type === 'ai' ? 'ai-ml' : raw.workload_type;
  for (const [table, type] of [['aiml', 'ai-ml'], ['gaming', 'gaming']] as const) {
    if (raw[table] === undefined) continue;
    if (workload !== type) ctx.warn([...path, table], `applies only with workload_type = "${type}"; ignored`);
    else if (!gpu) ctx.warn([...path, table], 'applies only to a service that asks for a GPU (gpu.nvidia = true); ignored');
  }
  if (gpu) {
    for (const [k, v] of Object.entries(gpuEnvironment(gpu, raw))) if (!(k in environment)) environment[k] = v;
  }

  const watch: WatchRule[] = (raw.develop?.watch ?? []).map((w) => ({
    path: resolveHostPath(w.path, ctx.workingDir),
    action: w.action,
    target: w.target ?? null,
    ignore: stringList(w.ignore),
    initial_sync: w.initial_sync ?? false,
    exec: w.exec
      ? {
          command: typeof w.exec.command === 'string' ? ['/bin/sh', '-c', w.exec.command] : w.exec.command,
          user: w.exec.user ?? null,
          working_dir: w.exec.working_dir ?? null,
        }
      : null,
  }));
  raw.develop?.watch?.forEach((w, i) => {
    if ((w.action === 'sync' || w.action === 'sync+restart' || w.action === 'sync+exec') && !w.target && driver === 'docker') {
      ctx.error([...path, 'develop', 'watch', i, 'action'], `a "${w.action}" watch rule needs a \`target\` path in the container`);
    }
    if (w.action === 'sync+exec' && !w.exec) ctx.error([...path, 'develop', 'watch', i, 'action'], 'a "sync+exec" watch rule needs `exec = { command = [...] }`');
  });

  const capAdd = [...(raw.cap_add ?? []), ...(raw.capabilities?.add ?? [])];
  const capDrop = [...(raw.cap_drop ?? []), ...(raw.capabilities?.drop ?? [])];

  return {
    name,
    driver,
    image: raw.image ?? null,
    build: build(raw.build, [...path, 'build'], ctx),
    command: command(raw.command, driver, [...path, 'command'], ctx),
    entrypoint: command(raw.entrypoint, driver, [...path, 'entrypoint'], ctx),
    environment,
    depends_on,
    ports,
    volumes,
    tmpfs: stringList(raw.tmpfs),
    healthcheck: hc ? healthcheck(hc, [...path, hcKey], ctx) : null,
    restart,
    labels: keyValues(raw.labels, [...path, 'labels'], ctx, 'label', false),
    user: raw.user === undefined ? null : String(raw.user),
    working_dir: raw.working_dir === undefined ? null : driver === 'process' ? resolveHostPath(raw.working_dir, ctx.workingDir) : raw.working_dir,
    privileged: raw.privileged ?? false,
    devices,
    cap_add: capAdd,
    cap_drop: capDrop,
    read_only: raw.read_only ?? false,
    extra_hosts: extraHosts,
    dns: stringList(raw.dns),
    hostname: raw.hostname ?? null,
    stop_signal: raw.stop_signal ?? null,
    stop_grace_period_ms: duration(raw.stop_grace_period, [...path, 'stop_grace_period'], ctx),
    replicas: raw.replicas ?? 1,
    cpu_limit: cpu,
    memory_limit_bytes: memory,
    networks,
    gpu,
    platform: raw.platform ?? null,
    develop: watch.length ? { watch } : null,
  };
}

function labelsOf(raw: RawNetwork['labels'], path: Path, ctx: NormalizeContext): Record<string, string> {
  return keyValues(raw, path, ctx, 'label', false);
}

function network(name: string, raw: RawNetwork, path: Path, ctx: NormalizeContext): Network {
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

function volume(name: string, raw: RawVolume, path: Path, ctx: NormalizeContext): Volume {
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

/**
 * `isolation_level = "exclusive"` is enforced when planning: no two services may claim the same GPU exclusively.
 * A shared claim on a GPU another service holds exclusively is allowed (Boltfiles in the wild do it) but warned about.
 * Each service is checked against the earliest earlier claim it conflicts with, found through indexes by device:
 * linear in the number of services, however many claim a GPU.
 */
function checkExclusiveGpus(services: Record<string, Service>, ctx: NormalizeContext): void {
  interface Claim {
    order: number;
    name: string;
    devices: 'all' | string[];
    exclusive: boolean;
  }
  // The earliest claims by kind: on all GPUs, and on each device; exclusive ones, and any.
  const first = { any: null as Claim | null, exclusive: null as Claim | null };
  const onAll = { any: null as Claim | null, exclusive: null as Claim | null };
  const onDevice = { any: new Map<string, Claim>(), exclusive: new Map<string, Claim>() };
  const earliest = (xs: (Claim | null | undefined)[]): Claim | null =>
    xs.reduce<Claim | null>((best, c) => (c && (!best || c.order < best.order) ? c : best), null);
  let order = 0;
  for (const s of Object.values(services)) {
    if (!s.gpu) continue;
    const mine = s.gpu.devices;
    const exclusive = s.gpu.isolation === 'exclusive';
    // Every replica gets the same devices, so replicas of an exclusive service would share them.
    if (exclusive && s.replicas > 1) {
      const what = mine === 'all' ? 'all GPUs' : `GPU ${mine.join(', ')}`;
      ctx.error(['services', s.name, 'gpu', 'isolation_level'], `service "${s.name}" has ${s.replicas} replicas, which would all claim ${what} exclusively; use one replica per exclusive GPU (a service each)`);
    }
    // An exclusive claim conflicts with any claim on a shared device; a shared one only with exclusive claims.
    const kind = exclusive ? 'any' : 'exclusive';
    const other = mine === 'all' ? first[kind] : earliest([onAll[kind], ...mine.map((d) => onDevice[kind].get(d))]);
    if (other) {
      const shared = mine === 'all' ? other.devices : other.devices === 'all' ? mine : mine.filter((d) => (other.devices as string[]).includes(d));
      const what = shared === 'all' ? 'all GPUs' : `GPU ${shared.join(', ')}`;
      if (exclusive && other.exclusive) {
        ctx.error(['services', s.name, 'gpu', 'isolation_level'], `services "${other.name}" and "${s.name}" both claim ${what} exclusively; give them different devices`);
      } else {
        const [holder, user] = exclusive ? [s.name, other.name] : [other.name, s.name];
        ctx.warn(['services', user, 'gpu'], `service "${user}" also uses ${what}, which "${holder}" claims exclusively`);
      }
    }
    const claim: Claim = { order: order++, name: s.name, devices: mine, exclusive };
    for (const k of exclusive ? (['any', 'exclusive'] as const) : (['any'] as const)) {
      first[k] ??= claim;
      if (mine === 'all') onAll[k] ??= claim;
      else for (const d of mine) if (!onDevice[k].has(d)) onDevice[k].set(d, claim);
    }
  }
}

export function normalize(doc: RawBoltfile, ctx: NormalizeContext): Project {
  const networks: Record<string, Network> = {};
  if (doc.network && doc.networks?.[DEFAULT_NETWORK]) {
    ctx.error(['network'], 'the project default network is declared twice: use either [network] or [networks.default]');
  }
  if (doc.network) networks[DEFAULT_NETWORK] = network(DEFAULT_NETWORK, doc.network, ['network'], ctx);
  for (const [name, raw] of Object.entries(doc.networks ?? {})) {
    if (!NAME.test(name)) ctx.error(['networks', name], `invalid network name "${name}" (letters, digits, "_", "." and "-")`);
    networks[name] = network(name, raw, ['networks', name], ctx);
  }
  const volumes: Record<string, Volume> = {};
  for (const [name, raw] of Object.entries(doc.volumes ?? {})) {
    if (!NAME.test(name)) ctx.error(['volumes', name], `invalid volume name "${name}" (letters, digits, "_", "." and "-")`);
    volumes[name] = volume(name, raw, ['volumes', name], ctx);
  }

  // Services that ask for QUIC join the project's QUIC network; one is made when the Boltfile declares none.
  const quicNetwork = (): string => {
    const existing = Object.values(networks).find((n) => n.quic);
    if (existing) return existing.name;
    networks[QUIC_NETWORK] = {
      name: QUIC_NETWORK,
      driver: 'bridge',
      quic: true,
      encryption: false,
      subnet: null,
      gateway: null,
      internal: false,
      external: false,
      external_name: null,
      labels: {},
    };
    return QUIC_NETWORK;
  };

  const services: Record<string, Service> = {};
  for (const [name, raw] of Object.entries(doc.services ?? {})) {
    if (!NAME.test(name)) {
      ctx.error(['services', name], `invalid service name "${name}" (letters, digits, "_", "." and "-", starting with a letter or digit)`);
      continue;
    }
    services[name] = service(name, raw, doc, ctx, quicNetwork);
  }

  const serviceNames = (): string[] => Object.keys(services);
  for (const s of Object.values(services)) {
    // Where each name sits in a list form: one pass, not a search per missing name (lists can be long).
    const depIndex = listIndex(doc.services?.[s.name]?.depends_on);
    const netIndex = listIndex(doc.services?.[s.name]?.networks);
    for (const dep of Object.keys(s.depends_on)) {
      if (!services[dep]) {
        const at: Path = ['services', s.name, 'depends_on', depIndex?.get(dep) ?? dep];
        ctx.error(at, () => `service "${s.name}" depends on "${dep}", which is not a service in this project${didYouMean(dep, serviceNames())}`);
      }
    }
    for (const n of Object.keys(s.networks)) {
      if (n === DEFAULT_NETWORK && !networks[DEFAULT_NETWORK]) {
        networks[DEFAULT_NETWORK] = {
          name: DEFAULT_NETWORK,
          driver: 'bridge',
          quic: false,
          encryption: false,
          subnet: null,
          gateway: null,
          internal: false,
          external: false,
          external_name: null,
          labels: {},
        };
      } else if (!networks[n]) {
        const at: Path = ['services', s.name, 'networks', netIndex?.get(n) ?? n];
        ctx.error(at, () => `network "${n}" is not declared${didYouMean(n, Object.keys(networks)) || `; add [networks.${n}]`}`);
      }
    }
  }

  checkExclusiveGpus(services, ctx);
  return { name: ctx.projectName, workingDir: ctx.workingDir, files: ctx.files, services, networks, volumes };
}
