// The normalized model written back as a Boltfile (`surge config --format toml`): the shortest forms that load
// to the same model ("8080:80", "data:/data:ro", "1m30s", "512m"), defaults left out, every `$` doubled so
// interpolation gives the values back. Paths are absolute, as in the model, so the file loads the same from anywhere.
import type { GpuSpec, Healthcheck, Mount, Network, PortMapping, Project, Service, Volume } from '../../model/model.js';
import { DEFAULT_NETWORK } from '../../model/model.js';
import { formatBytes, formatDuration } from './boltfile-writer-format.js';
import { COMPOSE_SERVICE_FIELDS } from './service-writer-compose.js';
import { writeToml } from './toml-writer.js';

export { formatBytes, formatDuration };

export function formatPort(p: PortMapping): string | Record<string, unknown> {
  // The long form when the mapping carries what the short one cannot say (compose's mode, name, app_protocol).
  if (p.mode !== undefined || p.name !== undefined || p.app_protocol !== undefined || p.protocol === 'sctp') {
    return {
      target: p.target,
      ...(p.published !== null ? { published: p.published } : {}),
      ...(p.host_ip !== null ? { host_ip: p.host_ip } : {}),
      protocol: p.protocol,
      ...(p.mode !== undefined ? { mode: p.mode } : {}),
      ...(p.name !== undefined ? { name: p.name } : {}),
      ...(p.app_protocol !== undefined ? { app_protocol: p.app_protocol } : {}),
    };
  }
  const proto = p.protocol === 'udp' ? '/udp' : '';
  const host = p.host_ip === null ? '' : p.host_ip.includes(':') ? `[${p.host_ip}]:` : `${p.host_ip}:`;
  if (p.published === null) return host ? `${host}:${p.target}${proto}` : `${p.target}${proto}`;
  return `${host}${p.published}:${p.target}${proto}`;
}

export function formatMount(m: Mount): string | Record<string, unknown> {
  const ro = m.read_only ? ':ro' : '';
  const options = m.bind !== undefined || m.volume !== undefined || m.tmpfs !== undefined || m.image !== undefined || m.consistency !== undefined;
  if (options || m.type === 'tmpfs' || m.type === 'image' || m.type === 'npipe' || m.source === null || m.source.includes(':') || m.target.includes(':')) {
    const tmpfs = m.tmpfs && { ...(m.tmpfs.size_bytes !== undefined ? { size: m.tmpfs.size_bytes } : {}), ...(m.tmpfs.mode !== undefined ? { mode: m.tmpfs.mode } : {}) };
    return {
      type: m.type,
      ...(m.source !== null ? { source: m.source } : {}),
      target: m.target,
      ...(m.read_only ? { read_only: true } : {}),
      ...(m.bind ? { bind: m.bind } : {}),
      ...(m.volume ? { volume: m.volume } : {}),
      ...(tmpfs ? { tmpfs } : {}),
      ...(m.image ? { image: m.image } : {}),
      ...(m.consistency !== undefined ? { consistency: m.consistency } : {}),
    };
  }
  // A named volume and an absolute host path both read back from the short form (a path is a bind mount).
  return `${m.source}:${m.target}${ro}`;
}

/** Every `$` in a value doubled: the Boltfile's values are interpolated when it loads (its keys are not). */
export function escapeDollars<T>(v: T): T {
  if (typeof v === 'string') return v.replaceAll('$', '$$$$') as T;
  if (Array.isArray(v)) return v.map(escapeDollars) as T;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, escapeDollars(x)])) as T;
  return v;
}

function healthcheck(h: Healthcheck): Record<string, unknown> {
  if (h.test[0] === 'NONE') return { disable: true };
  return {
    test: h.test[0] === 'CMD-SHELL' && h.test.length === 2 ? h.test[1] : h.test,
    interval: h.interval_ms === null ? null : formatDuration(h.interval_ms),
    timeout: h.timeout_ms === null ? null : formatDuration(h.timeout_ms),
    start_period: h.start_period_ms === null ? null : formatDuration(h.start_period_ms),
    retries: h.retries,
  };
}

/** The GPU forms that normalize to `g` (explicit devices, capabilities and limits; the reported settings too). */
function gpu(g: GpuSpec): { gpu: Record<string, unknown>; extra: Record<string, unknown> } {
  const nvidia: Record<string, unknown> = {
    ...(g.devices === 'all' ? {} : { devices: g.devices }),
    capabilities: g.capabilities,
    ...(g.dlss !== null ? { dlss: g.dlss } : {}),
    ...(g.raytracing !== null ? { raytracing: g.raytracing } : {}),
    ...(g.power_limit_watts !== null ? { power_limit: g.power_limit_watts } : {}),
  };
  const table: Record<string, unknown> = {
    nvidia,
    profile: g.profile,
    isolation_level: g.isolation,
    memory_limit: g.memory_limit_bytes,
    runtime: g.runtime,
  };
  const extra: Record<string, unknown> = {};
  if (g.workload) extra.workload_type = g.workload;
  const gaming: Record<string, unknown> = {};
  const aiml: Record<string, unknown> = {};
  for (const u of g.unenforced) {
    const profile = /^gaming performance profile "(.*)"$/.exec(u);
    const pool = /^GPU memory pool (\d+) MiB$/.exec(u);
    if (profile) gaming.performance_profile = profile[1];
    else if (u === 'variable rate shading') gaming.vrs_enabled = true;
    else if (u === 'Wine/Proton optimizations') gaming.wine_proton_enabled = true;
    else if (pool) aiml.memory_pool_size = `${pool[1]}m`;
  }
  if (g.isolation === 'virtual' && !g.unenforced.some((u) => u.startsWith('isolation_level "virtual"'))) aiml.mig_enabled = true;
  if (Object.keys(gaming).length) extra.gaming = gaming;
  if (Object.keys(aiml).length) extra.aiml = aiml;
  return { gpu: table, extra };
}

/**
 * How each field of a service is written: one entry per model field, so a field added to the model without a way
 * to write it back is a type error here (and `config --format toml` keeps round-tripping). Null leaves it out.
 */
const SERVICE_FIELDS: { [K in keyof Service]: (s: Service) => Record<string, unknown> | null } = {
  name: () => null,
  driver: (s) => {
    const inferred = s.image !== null || s.build !== null ? 'docker' : s.command !== null ? 'process' : 'docker';
    return inferred === s.driver ? null : { driver: s.driver };
  },
  // A service with nothing to run came from a Bolt capsule (loaded with its warning): written back as one.
  image: (s) => (s.image === null && s.build === null && s.command === null ? { capsule: {} } : { image: s.image }),
  build: (s) =>
    s.build && {
      build: {
        context: s.build.context,
        dockerfile: s.build.dockerfile,
        target: s.build.target,
        no_cache: s.build.no_cache || null,
        args: Object.keys(s.build.args).length ? s.build.args : null,
        labels: Object.keys(s.build.labels).length ? s.build.labels : null,
      },
    },
  command: (s) => ({ command: shellCommand(s, s.command) }),
  entrypoint: (s) => ({ entrypoint: shellCommand(s, s.entrypoint) }),
  environment: (s) => (Object.keys(s.environment).length ? { environment: s.environment } : null),
  depends_on: (s) => {
    const deps = Object.entries(s.depends_on);
    if (!deps.length) return null;
    const plain = deps.every(([, d]) => d.condition === 'service_started' && d.required && !d.restart);
    if (plain) return { depends_on: deps.map(([n]) => n) };
    return { depends_on: Object.fromEntries(deps.map(([n, d]) => [n, { condition: d.condition, ...(d.required ? {} : { required: false }), ...(d.restart ? { restart: true } : {}) }])) };
  },
  ports: (s) => (s.ports.length ? { ports: s.ports.map(formatPort) } : null),
  volumes: (s) => (s.volumes.length ? { volumes: s.volumes.map(formatMount) } : null),
  tmpfs: (s) => (s.tmpfs.length ? { tmpfs: s.tmpfs } : null),
  healthcheck: (s) => s.healthcheck && { healthcheck: healthcheck(s.healthcheck) },
  restart: (s) => (s.restart === 'no' ? null : { restart: s.restart }),
  labels: (s) => (Object.keys(s.labels).length ? { labels: s.labels } : null),
  user: (s) => ({ user: s.user }),
  working_dir: (s) => ({ working_dir: s.working_dir }),
  privileged: (s) => (s.privileged ? { privileged: true } : null),
  devices: (s) => (s.devices.length ? { devices: s.devices.map((d) => `${d.source}:${d.target}${d.permissions === 'rwm' ? '' : `:${d.permissions}`}`) } : null),
  cap_add: (s) => (s.cap_add.length ? { cap_add: s.cap_add } : null),
  cap_drop: (s) => (s.cap_drop.length ? { cap_drop: s.cap_drop } : null),
  read_only: (s) => (s.read_only ? { read_only: true } : null),
  extra_hosts: (s) => (s.extra_hosts.length ? { extra_hosts: s.extra_hosts } : null),
  dns: (s) => (s.dns.length ? { dns: s.dns } : null),
  hostname: (s) => ({ hostname: s.hostname }),
  stop_signal: (s) => ({ stop_signal: s.stop_signal }),
  stop_grace_period_ms: (s) => (s.stop_grace_period_ms === null ? null : { stop_grace_period: formatDuration(s.stop_grace_period_ms) }),
  replicas: (s) => (s.replicas === 1 ? null : { replicas: s.replicas }),
  cpu_limit: (s) => ({ cpu_limit: s.cpu_limit }),
  memory_limit_bytes: (s) => (s.memory_limit_bytes === null ? null : { memory_limit: formatBytes(s.memory_limit_bytes) }),
  networks: (s) => {
    const networks = Object.entries(s.networks);
    const defaultOnly = s.driver === 'docker' && networks.length === 1 && networks[0]?.[0] === DEFAULT_NETWORK && networks[0][1].aliases.length === 0;
    if (defaultOnly || networks.length === 0) return null;
    if (networks.every(([, n]) => n.aliases.length === 0)) return { networks: networks.map(([n]) => n) };
    return { networks: Object.fromEntries(networks.map(([n, v]) => [n, v.aliases.length ? { aliases: v.aliases } : {}])) };
  },
  gpu: (s) => {
    if (!s.gpu) return null;
    const g = gpu(s.gpu);
    return { ...g.extra, gpu: g.gpu };
  },
  platform: (s) => ({ platform: s.platform }),
  develop: (s) =>
    s.develop && {
      develop: {
        watch: s.develop.watch.map((w) => ({
          path: w.path,
          action: w.action,
          target: w.target,
          ignore: w.ignore.length ? w.ignore : null,
          initial_sync: w.initial_sync || null,
          exec: w.exec && { command: w.exec.command, user: w.exec.user, working_dir: w.exec.working_dir },
        })),
      },
    },
  ...COMPOSE_SERVICE_FIELDS,
};

/** A host process's `["/bin/sh", "-c", x]` was the string `x`: written back as the string. */
function shellCommand(s: Service, argv: string[] | null): string | string[] | null {
  return s.driver === 'process' && argv?.length === 3 && argv[0] === '/bin/sh' && argv[1] === '-c' ? (argv[2] as string) : argv;
}

/** What a Boltfile reads first: what runs, then how; mappings of user data last (they become tables of their own). */
const SERVICE_ORDER: (keyof Service)[] = [
  'driver', 'image', 'build', 'command', 'entrypoint', 'depends_on', 'ports', 'volumes', 'tmpfs', 'restart', 'user', 'working_dir',
  'privileged', 'devices', 'cap_add', 'cap_drop', 'read_only', 'extra_hosts', 'dns', 'hostname', 'stop_signal', 'stop_grace_period_ms',
  'replicas', 'cpu_limit', 'memory_limit_bytes', 'platform', 'networks', 'gpu', 'develop', 'environment', 'labels', 'healthcheck',
];

function service(s: Service): Record<string, unknown> {
  const keys = [...SERVICE_ORDER, ...(Object.keys(SERVICE_FIELDS) as (keyof Service)[]).filter((k) => !SERVICE_ORDER.includes(k))];
  return Object.assign({}, ...keys.map((k) => SERVICE_FIELDS[k](s) ?? {})) as Record<string, unknown>;
}

/** One entry per model field, as for services: a new field without a writer is a type error. */
const NETWORK_FIELDS: { [K in keyof Network]: (n: Network) => Record<string, unknown> | null } = {
  name: () => null,
  driver: (n) => (n.driver === 'bridge' ? null : { driver: n.driver }),
  quic: (n) => (n.quic ? { enable_quic: true } : null),
  encryption: (n) => (n.encryption ? { encryption: true } : null),
  subnet: (n) => ({ subnet: n.subnet }),
  gateway: (n) => ({ gateway: n.gateway }),
  internal: (n) => (n.internal ? { internal: true } : null),
  external: (n) => (n.external ? { external: true } : null),
  external_name: (n) => (n.external && n.external_name !== n.name ? { name: n.external_name } : null),
  labels: (n) => (Object.keys(n.labels).length ? { labels: n.labels } : null),
};

const VOLUME_FIELDS: { [K in keyof Volume]: (v: Volume) => Record<string, unknown> | null } = {
  name: () => null,
  driver: (v) => (v.driver === 'local' ? null : { driver: v.driver }),
  driver_opts: (v) => (Object.keys(v.driver_opts).length ? { driver_opts: v.driver_opts } : null),
  external: (v) => (v.external ? { external: true } : null),
  external_name: (v) => (v.external && v.external_name !== v.name ? { name: v.external_name } : null),
  labels: (v) => (Object.keys(v.labels).length ? { labels: v.labels } : null),
};

function written<T>(fields: { [K in keyof T]: (x: T) => Record<string, unknown> | null }, x: T): Record<string, unknown> {
  return Object.assign({}, ...(Object.keys(fields) as (keyof T)[]).map((k) => fields[k](x) ?? {})) as Record<string, unknown>;
}

/** The Boltfile's raw shape of a project (what `surge config --format toml` writes). */
export function boltfileOf(project: Pick<Project, 'name' | 'services' | 'networks' | 'volumes'>): Record<string, unknown> {
  const doc: Record<string, unknown> = { project: project.name };
  if (Object.keys(project.services).length) doc.services = Object.fromEntries(Object.values(project.services).map((s) => [s.name, service(s)]));
  if (Object.keys(project.networks).length) doc.networks = Object.fromEntries(Object.values(project.networks).map((n) => [n.name, written(NETWORK_FIELDS, n)]));
  if (Object.keys(project.volumes).length) doc.volumes = Object.fromEntries(Object.values(project.volumes).map((v) => [v.name, written(VOLUME_FIELDS, v)]));
  return escapeDollars(doc);
}

export function writeBoltfile(project: Pick<Project, 'name' | 'services' | 'networks' | 'volumes'>, header: string[] = []): string {
  return writeToml(boltfileOf(project), { header });
}
