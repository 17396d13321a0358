// The normalized model as a compose file (`surge config --format yaml`), in the shape `docker compose config`
// prints: canonical long forms (ports and volumes as mappings, depends_on with its condition), keys in compose-go's
// order, durations as Go prints them ("1m30s"), sizes in bytes, networks and volumes with their engine names, every
// `$` doubled. What compose has no key for (a host process, a QUIC network, Bolt's GPU settings) is carried in
// `x-surge-*` extension fields, which compose ignores.
import { Document, visit } from 'yaml';
import { networkEngineName, volumeEngineName } from '../../model/naming.js';
import type { GpuSpec, Healthcheck, Mount, Network, PortMapping, Project, Service, Volume } from '../../model/model.js';
import { compareText } from '../../model/order.js';

/** Go's time.Duration.String(): "1h2m3.5s", "1m30s", "500ms", "0s". */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  const sec = `${Number.isInteger(s) ? s : s.toFixed(3).replace(/0+$/, '')}s`;
  if (h > 0) return `${h}h${m}m${sec}`;
  if (m > 0) return `${m}m${sec}`;
  return sec;
}

function port(p: PortMapping): Record<string, unknown> {
  const target = Number(p.target);
  return {
    mode: 'ingress',
    ...(p.host_ip !== null ? { host_ip: p.host_ip } : {}),
    target: Number.isInteger(target) ? target : p.target,
    ...(p.published !== null ? { published: p.published } : {}),
    protocol: p.protocol,
  };
}

function mount(m: Mount): Record<string, unknown> {
  return {
    type: m.type,
    ...(m.source !== null ? { source: m.source } : {}),
    target: m.target,
    ...(m.read_only ? { read_only: true } : {}),
    ...(m.type === 'bind' ? { bind: { create_host_path: true } } : m.type === 'volume' ? { volume: {} } : {}),
  };
}

function healthcheck(h: Healthcheck): Record<string, unknown> {
  if (h.test[0] === 'NONE') return { disable: true };
  return {
    test: h.test,
    ...(h.timeout_ms !== null ? { timeout: goDuration(h.timeout_ms) } : {}),
    ...(h.interval_ms !== null ? { interval: goDuration(h.interval_ms) } : {}),
    ...(h.retries !== null ? { retries: h.retries } : {}),
    ...(h.start_period_ms !== null ? { start_period: goDuration(h.start_period_ms) } : {}),
  };
}

/** A GPU request as compose writes it: a device reservation of driver nvidia. */
function gpuDevices(g: GpuSpec): Record<string, unknown> {
  return {
    capabilities: ['gpu', ...g.capabilities],
    driver: 'nvidia',
    ...(g.devices === 'all' ? { count: -1 } : { device_ids: g.devices }),
  };
}

function sorted<T>(entries: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(entries).sort(([a], [b]) => compareText(a, b)));
}

function service(s: Service): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const set = (key: string, value: unknown): void => {
    if (value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0)) out[key] = value;
  };
  set('build', s.build && {
    context: s.build.context,
    ...(s.build.dockerfile !== null ? { dockerfile: s.build.dockerfile } : { dockerfile: 'Dockerfile' }),
    ...(Object.keys(s.build.args).length ? { args: sorted(s.build.args) } : {}),
    ...(Object.keys(s.build.labels).length ? { labels: sorted(s.build.labels) } : {}),
    ...(s.build.no_cache ? { no_cache: true } : {}),
    ...(s.build.target !== null ? { target: s.build.target } : {}),
  });
  set('develop', s.develop && {
    watch: s.develop.watch.map((w) => ({
      ...(w.exec ? { exec: { command: w.exec.command, ...(w.exec.user ? { user: w.exec.user } : {}), ...(w.exec.working_dir ? { working_dir: w.exec.working_dir } : {}) } } : {}),
      ...(w.ignore.length ? { ignore: w.ignore } : {}),
      ...(w.initial_sync ? { initial_sync: true } : {}),
      path: w.path,
      action: w.action,
      ...(w.target !== null ? { target: w.target } : {}),
    })),
  });
  set('cap_add', s.cap_add);
  set('cap_drop', s.cap_drop);
  set('cpus', s.cpu_limit);
  set('command', s.command);
  const deps = Object.entries(s.depends_on);
  if (deps.length) out.depends_on = Object.fromEntries(deps.map(([n, d]) => [n, { condition: d.condition, ...(d.restart ? { restart: true } : {}), required: d.required }]));
  const deploy: Record<string, unknown> = {};
  if (s.replicas !== 1) deploy.replicas = s.replicas;
  if (s.gpu) deploy.resources = { reservations: { devices: [gpuDevices(s.gpu)] } };
  if (Object.keys(deploy).length) out.deploy = deploy;
  set('devices', s.devices.map((d) => ({ source: d.source, target: d.target, permissions: d.permissions })));
  set('dns', s.dns);
  set('entrypoint', s.entrypoint);
  if (Object.keys(s.environment).length) out.environment = sorted(s.environment);
  set('extra_hosts', s.extra_hosts.map((h) => h.replace(/^([^:]+):/, '$1=')).sort());
  set('hostname', s.hostname);
  set('healthcheck', s.healthcheck && healthcheck(s.healthcheck));
  set('image', s.image);
  if (Object.keys(s.labels).length) out.labels = sorted(s.labels);
  if (s.memory_limit_bytes !== null) out.mem_limit = String(s.memory_limit_bytes);
  const nets = Object.entries(s.networks);
  if (nets.length) out.networks = Object.fromEntries(nets.map(([n, v]) => [n, v.aliases.length ? { aliases: v.aliases } : null]));
  set('platform', s.platform);
  set('ports', s.ports.map(port));
  if (s.privileged) out.privileged = true;
  if (s.read_only) out.read_only = true;
  if (s.restart !== 'no') out.restart = s.restart;
  if (s.gpu?.runtime) out.runtime = s.gpu.runtime;
  set('stop_grace_period', s.stop_grace_period_ms === null ? null : goDuration(s.stop_grace_period_ms));
  set('stop_signal', s.stop_signal);
  set('tmpfs', s.tmpfs);
  set('user', s.user);
  set('volumes', s.volumes.map(mount));
  set('working_dir', s.working_dir);
  if (s.driver === 'process') out['x-surge-driver'] = 'process';
  return out;
}

function network(project: string, n: Network): Record<string, unknown> {
  return {
    name: n.external ? (n.external_name ?? n.name) : networkEngineName(project, n.name),
    ...(n.driver !== 'bridge' ? { driver: n.driver } : {}),
    ...(n.subnet !== null ? { ipam: { config: [{ subnet: n.subnet, ...(n.gateway !== null ? { gateway: n.gateway } : {}) }] } } : {}),
    ...(n.external ? { external: true } : {}),
    ...(n.internal ? { internal: true } : {}),
    ...(Object.keys(n.labels).length ? { labels: sorted(n.labels) } : {}),
    ...(n.quic ? { 'x-surge-quic': true } : {}),
    ...(n.encryption ? { 'x-surge-encryption': true } : {}),
  };
}

function volume(project: string, v: Volume): Record<string, unknown> {
  return {
    name: v.external ? (v.external_name ?? v.name) : volumeEngineName(project, v.name),
    ...(v.driver !== 'local' ? { driver: v.driver } : {}),
    ...(Object.keys(v.driver_opts).length ? { driver_opts: sorted(v.driver_opts) } : {}),
    ...(v.external ? { external: true } : {}),
    ...(Object.keys(v.labels).length ? { labels: sorted(v.labels) } : {}),
  };
}

/** The compose shape of a project. */
export function composeOf(project: Pick<Project, 'name' | 'services' | 'networks' | 'volumes'>): Record<string, unknown> {
  const doc: Record<string, unknown> = { name: project.name };
  doc.services = sorted(Object.fromEntries(Object.values(project.services).map((s) => [s.name, service(s)])));
  const networks = Object.values(project.networks);
  if (networks.length) doc.networks = sorted(Object.fromEntries(networks.map((n) => [n.name, network(project.name, n)])));
  const volumes = Object.values(project.volumes);
  if (volumes.length) doc.volumes = sorted(Object.fromEntries(volumes.map((v) => [v.name, volume(project.name, v)])));
  return doc;
}

/** Strings a YAML 1.1 reader would take for a boolean or null: quoted, as go-yaml quotes them. */
const AMBIGUOUS = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|true|True|TRUE|false|False|FALSE|null|Null|NULL|~|)$/;

export function writeCompose(project: Pick<Project, 'name' | 'services' | 'networks' | 'volumes'>): string {
  const doc = new Document(composeOf(project));
  visit(doc, {
    Scalar(key, node) {
      const text = node.value;
      if (key === 'key' || typeof text !== 'string') return;
      // compose doubles every `$`: the output reads back the same when interpolated.
      node.value = text.replaceAll('$', '$$$$');
      if (AMBIGUOUS.test(text)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString({ indent: 2, lineWidth: 0, nullStr: 'null' });
}
