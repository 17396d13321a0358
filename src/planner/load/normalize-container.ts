// A service's container settings beyond image, command and networking: compose's limits, namespaces, logging,
// security options, devices, ulimits, sysctls… one field of the model each, with compose's meaning. A host process
// cannot apply them: normalize-service warns for each one set on a process service.
import type { BlkioConfig, DeviceMapping, LoggingConfig, Service, Ulimit } from '../../model/model.js';
import type { RawService } from './boltfile-schema.js';
import { keyValues, scalarString, stringList, type NormalizeContext } from './normalize-forms.js';
import type { Path } from './schema-walk.js';
import { parseByteSize } from '../../model/units.js';

export type ContainerSettings = Pick<
  Service,
  | 'expose' | 'init' | 'ulimits' | 'sysctls' | 'shm_size_bytes' | 'pid' | 'ipc' | 'uts' | 'userns_mode' | 'cgroup'
  | 'cgroup_parent' | 'logging' | 'security_opt' | 'stdin_open' | 'tty' | 'group_add' | 'pull_policy' | 'dns_search'
  | 'dns_opt' | 'domainname' | 'mac_address' | 'oom_score_adj' | 'oom_kill_disable' | 'mem_reservation_bytes'
  | 'memswap_limit_bytes' | 'mem_swappiness' | 'cpu_shares' | 'cpu_period' | 'cpu_quota' | 'cpu_rt_period'
  | 'cpu_rt_runtime' | 'cpu_count' | 'cpu_percent' | 'cpuset' | 'pids_limit' | 'blkio_config' | 'device_cgroup_rules'
  | 'runtime' | 'storage_opt' | 'isolation' | 'annotations' | 'container_name' | 'use_api_socket' | 'attach' | 'devices'
> & {
  /** CDI devices named in `devices`, for the service's device requests */
};

const PULL_POLICY = /^(always|never|missing|if_not_present|build|refresh|daily|weekly|every_(\d+[wdhms])+)$/;
const CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** A whole number, written as one or as a string holding one (compose accepts both). */
export function integer(raw: number | string | undefined, path: Path, ctx: NormalizeContext, min = -Infinity, max = Infinity): number | null {
  if (raw === undefined) return null;
  const n = typeof raw === 'number' ? raw : raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    const range = min > -Infinity && max < Infinity ? ` from ${min} to ${max}` : min > -Infinity ? ` of at least ${min}` : '';
    ctx.error(path, `expected a whole number${range}, got ${JSON.stringify(raw)}`);
    return null;
  }
  return n;
}

export function bytes(raw: number | string | undefined, path: Path, ctx: NormalizeContext): number | null {
  if (raw === undefined) return null;
  const r = parseByteSize(raw);
  if (!r.ok) {
    ctx.error(path, r.message);
    return null;
  }
  return r.value;
}

/** "80", 80, "8000-8010", "53/udp" → "80/tcp", "8000-8010/tcp", "53/udp" */
function expose(raw: RawService['expose'], path: Path, ctx: NormalizeContext): string[] {
  const out: string[] = [];
  for (const [i, e] of (raw ?? []).entries()) {
    const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(String(e).trim());
    const from = Number(m?.[1]);
    const to = m?.[2] === undefined ? from : Number(m[2]);
    if (!m || from < 1 || to > 65535 || to < from) {
      ctx.error([...path, 'expose', i], `invalid exposed port ${JSON.stringify(e)} (a port or range, optionally with /tcp, /udp or /sctp)`);
      continue;
    }
    out.push(`${from === to ? from : `${from}-${to}`}/${(m[3] ?? 'tcp').toLowerCase()}`);
  }
  return out;
}

function ulimits(raw: RawService['ulimits'], path: Path, ctx: NormalizeContext): Record<string, Ulimit> {
  const out: Record<string, Ulimit> = {};
  for (const [name, v] of Object.entries(raw ?? {})) {
    const limit = typeof v === 'number' ? { soft: v, hard: v } : v;
    if (limit.soft > limit.hard && limit.hard !== -1) ctx.error([...path, 'ulimits', name], `ulimit ${name}: soft limit ${limit.soft} is above the hard limit ${limit.hard}`);
    out[name] = limit;
  }
  return out;
}

/** A CDI device name (vendor.com/class=name): the engine gives it through a `cdi` device request, as compose does. */
const CDI_NAME = /^[a-z0-9][a-z0-9.-]*\.[a-z]+\/[a-zA-Z0-9][a-zA-Z0-9_.-]*=[a-zA-Z0-9_.:-]+$/;

function devices(raw: RawService['devices'], path: Path, ctx: NormalizeContext): { devices: DeviceMapping[]; cdi: string[] } {
  const out: DeviceMapping[] = [];
  const cdi: string[] = [];
  for (const [i, entry] of (raw ?? []).entries()) {
    const at: Path = [...path, 'devices', i];
    let m: DeviceMapping;
    if (typeof entry === 'string' && CDI_NAME.test(entry)) {
      cdi.push(entry);
      continue;
    }
    if (typeof entry === 'string') {
      const parts = entry.split(':');
      if (parts.length > 3 || !parts[0]) {
        ctx.error(at, `invalid device "${entry}" (use "/dev/x", "/dev/x:/dev/y" or "/dev/x:/dev/y:rwm")`);
        continue;
      }
      m = { source: parts[0], target: parts[1] || parts[0], permissions: parts[2] ?? 'rwm' };
    } else if (CDI_NAME.test(entry.source) && (entry.target === undefined || entry.target === entry.source)) {
      cdi.push(entry.source);
      continue;
    } else {
      m = { source: entry.source, target: entry.target ?? entry.source, permissions: entry.permissions ?? 'rwm' };
    }
    if (!/^[rwm]+$/.test(m.permissions)) {
      ctx.error(at, `invalid device permissions "${m.permissions}" (any of r, w, m)`);
      continue;
    }
    out.push(m);
  }
  return { devices: out, cdi };
}

function blkio(raw: RawService['blkio_config'], path: Path, ctx: NormalizeContext): BlkioConfig | null {
  if (!raw) return null;
  const at: Path = [...path, 'blkio_config'];
  const rates = (key: 'device_read_bps' | 'device_write_bps' | 'device_read_iops' | 'device_write_iops', size: boolean) =>
    (raw[key] ?? []).map((r, i) => {
      const rate = size ? parseByteSize(r.rate) : Number.isInteger(Number(r.rate)) ? { ok: true as const, value: Number(r.rate) } : { ok: false as const, message: `invalid rate ${JSON.stringify(r.rate)}` };
      if (!rate.ok) ctx.error([...at, key, i, 'rate'], rate.message);
      return { path: r.path, rate: rate.ok ? rate.value : 0 };
    });
  if (raw.weight !== undefined && (raw.weight < 10 || raw.weight > 1000) && raw.weight !== 0) ctx.error([...at, 'weight'], 'blkio weight is 10 to 1000');
  return {
    weight: raw.weight ?? null,
    weight_device: raw.weight_device ?? [],
    device_read_bps: rates('device_read_bps', true),
    device_write_bps: rates('device_write_bps', true),
    device_read_iops: rates('device_read_iops', false),
    device_write_iops: rates('device_write_iops', false),
  };
}

function logging(raw: RawService['logging']): LoggingConfig | null {
  if (!raw) return null;
  const options: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw.options ?? {})) options[k] = scalarString(v);
  return { driver: raw.driver ?? null, options };
}

/** The container settings of a service, and the CDI device names among its `devices` (they become a device request). */
export function containerSettings(raw: RawService, path: Path, ctx: NormalizeContext): { settings: ContainerSettings; cdi: string[] } {
  // A key's path is built only for a key the service has: most have few, and a path per absent key of every service
  // was most of normalizing's garbage (5,000 services: some 100 MB allocated).
  const int = (key: keyof RawService, min?: number, max?: number): number | null =>
    raw[key] === undefined ? null : integer(raw[key] as number | string, [...path, key], ctx, min, max);
  const size = (key: 'shm_size' | 'mem_reservation' | 'memswap_limit'): number | null => (raw[key] === undefined ? null : bytes(raw[key], [...path, key], ctx));
  if (raw.pull_policy !== undefined && !PULL_POLICY.test(raw.pull_policy)) {
    ctx.error([...path, 'pull_policy'], `invalid pull_policy "${raw.pull_policy}" (always, never, missing, build, daily, weekly or every_<duration>)`);
  }
  if (raw.pull_policy === 'build' && raw.build === undefined) ctx.error([...path, 'pull_policy'], 'pull_policy "build" needs a `build` section');
  if (raw.pull_policy !== undefined && /^(refresh|daily|weekly|every_)/.test(raw.pull_policy)) {
    ctx.warn([...path, 'pull_policy'], `"${raw.pull_policy}" is not applied by surge yet: the image is pulled when it is missing (\`surge pull\` refreshes it)`);
  }
  if (raw.container_name !== undefined && !CONTAINER_NAME.test(raw.container_name)) {
    ctx.error([...path, 'container_name'], `invalid container name "${raw.container_name}" (letters, digits, "_", "." and "-", starting with a letter or digit)`);
  }
  const dev = raw.devices === undefined ? { devices: [], cdi: [] } : devices(raw.devices, path, ctx);
  const storage: Record<string, string> = {};
  if (raw.storage_opt) for (const [k, v] of Object.entries(raw.storage_opt)) storage[k] = scalarString(v);
  const settings: ContainerSettings = {
    container_name: raw.container_name ?? null,
    expose: raw.expose === undefined ? [] : expose(raw.expose, path, ctx),
    init: typeof raw.init === 'boolean' ? raw.init : null,
    ulimits: raw.ulimits === undefined ? {} : ulimits(raw.ulimits, path, ctx),
    sysctls: raw.sysctls === undefined ? {} : keyValues(raw.sysctls, [...path, 'sysctls'], ctx, 'sysctl', false),
    shm_size_bytes: size('shm_size'),
    pid: raw.pid ?? null,
    ipc: raw.ipc ?? null,
    uts: raw.uts ?? null,
    userns_mode: raw.userns_mode ?? null,
    cgroup: raw.cgroup ?? null,
    cgroup_parent: raw.cgroup_parent ?? null,
    logging: logging(raw.logging),
    security_opt: raw.security_opt ?? [],
    stdin_open: raw.stdin_open ?? false,
    tty: raw.tty ?? false,
    group_add: (raw.group_add ?? []).map(String),
    pull_policy: raw.pull_policy ?? null,
    dns_search: stringList(raw.dns_search),
    dns_opt: raw.dns_opt ?? [],
    domainname: raw.domainname ?? null,
    mac_address: raw.mac_address ?? null,
    oom_score_adj: int('oom_score_adj', -1000, 1000),
    oom_kill_disable: raw.oom_kill_disable ?? false,
    mem_reservation_bytes: size('mem_reservation'),
    // -1 (unlimited swap) is not a size: read it before the size parser would refuse it.
    memswap_limit_bytes: raw.memswap_limit === -1 || raw.memswap_limit === '-1' ? -1 : size('memswap_limit'),
    mem_swappiness: int('mem_swappiness', 0, 100),
    cpu_shares: int('cpu_shares', 0),
    cpu_period: int('cpu_period', 0),
    cpu_quota: int('cpu_quota', -1),
    cpu_rt_period: int('cpu_rt_period', 0),
    cpu_rt_runtime: int('cpu_rt_runtime', -1),
    cpu_count: int('cpu_count', 0),
    cpu_percent: int('cpu_percent', 0, 100),
    cpuset: raw.cpuset ?? null,
    pids_limit: int('pids_limit', -1),
    blkio_config: blkio(raw.blkio_config, path, ctx),
    device_cgroup_rules: raw.device_cgroup_rules ?? [],
    runtime: typeof raw.runtime === 'string' ? raw.runtime : null,
    storage_opt: storage,
    isolation: raw.isolation ?? null,
    annotations: raw.annotations === undefined ? {} : keyValues(raw.annotations, [...path, 'annotations'], ctx, 'annotation', false),
    use_api_socket: raw.use_api_socket ?? false,
    attach: raw.attach ?? true,
    devices: dev.devices,
  };
  return { settings, cdi: dev.cdi };
}
