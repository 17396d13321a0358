// The model → the engine's HostConfig and the container's ports: mounts (volumes, binds with their options,
// tmpfs, image mounts, file-based secrets and configs), resources (memory, CPU, pids, blkio, devices, ulimits),
// namespaces, logging and security options. Pure, apart from reading a seccomp profile file as compose does.
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type Docker from 'dockerode';
import { EngineError, errorMessage } from '../../model/errors.js';
import type { Mount, PortMapping, Project, Service } from '../../model/model.js';
import { volumeEngineName } from '../../model/naming.js';
import { namespaceMode, volumesFrom } from './container-endpoints.js';

export type HostConfig = Docker.HostConfig & { Annotations?: Record<string, string>; CgroupnsMode?: string };
type EngineMount = Record<string, unknown> & { Type: string; Source: string; Target: string };

function range(text: string): number[] {
  const [a, b] = text.split('-').map(Number) as [number, number | undefined];
  const out: number[] = [];
  for (let p = a; p <= (b ?? a); p++) out.push(p);
  return out;
}

/** ExposedPorts and PortBindings; ranges expand per port; `expose` adds exposed ports without bindings. */
export function portBindings(ports: PortMapping[], expose: string[] = []): { exposed: Record<string, object>; bindings: Record<string, { HostIp: string; HostPort: string }[]> } {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of ports) {
    const targets = range(p.target);
    const published = p.published === null ? null : range(p.published);
    targets.forEach((t, i) => {
      const key = `${t}/${p.protocol}`;
      exposed[key] = {};
      // One container port onto a host range: the engine picks a free port of the range ("8000-8010").
      const hostPort = published === null ? '' : published.length === 1 ? String(published[0]) : targets.length === 1 ? (p.published as string) : String(published[i] ?? '');
      (bindings[key] ??= []).push({ HostIp: p.host_ip ?? '', HostPort: hostPort });
    });
  }
  for (const e of expose) {
    const [ports, proto] = e.split('/') as [string, string];
    for (const t of range(ports)) exposed[`${t}/${proto}`] = {};
  }
  return { exposed, bindings };
}

/** A bind the legacy Binds form can express (it creates a missing host folder, as `docker run -v` users expect). */
function bindString(m: Mount): string | null {
  if (m.bind?.create_host_path === false || m.bind?.recursive !== undefined) return null;
  const opts = [m.read_only ? 'ro' : null, m.bind?.selinux ?? null, m.bind?.propagation ?? null].filter((o): o is string => o !== null);
  return `${m.source}:${m.target}${opts.length ? `:${opts.join(',')}` : ''}`;
}

const RECURSIVE: Record<string, Record<string, boolean>> = {
  disabled: { NonRecursive: true },
  writable: { ReadOnlyNonRecursive: true },
  readonly: { ReadOnlyForceRecursive: true },
  enabled: {},
};

export function mounts(project: Project, s: Service, carried: Record<string, string> = {}): { binds: string[]; mounts: EngineMount[] } {
  const out: EngineMount[] = [];
  const binds: string[] = [];
  for (const m of s.volumes) {
    if (m.type === 'tmpfs') {
      const t: EngineMount = { Type: 'tmpfs', Source: '', Target: m.target };
      if (m.tmpfs) t.TmpfsOptions = { ...(m.tmpfs.size_bytes !== undefined ? { SizeBytes: m.tmpfs.size_bytes } : {}), ...(m.tmpfs.mode !== undefined ? { Mode: m.tmpfs.mode } : {}) };
      if (m.read_only) t.ReadOnly = true;
      out.push(t);
    } else if (m.type === 'bind') {
      const text = bindString(m);
      if (text) binds.push(text);
      else {
        const options: Record<string, unknown> = { ...(m.bind?.propagation ? { Propagation: m.bind.propagation } : {}), ...RECURSIVE[m.bind?.recursive ?? 'enabled'] };
        out.push({ Type: 'bind', Source: m.source as string, Target: m.target, ReadOnly: m.read_only, ...(Object.keys(options).length ? { BindOptions: options } : {}) });
      }
    } else if (m.type === 'image' || m.type === 'npipe') {
      out.push({ Type: m.type, Source: m.source as string, Target: m.target, ReadOnly: m.read_only, ...(m.image?.subpath ? { ImageOptions: { Subpath: m.image.subpath } } : {}) });
    } else {
      let source = '';
      if (m.source === null) source = carried[m.target] ?? '';
      else {
        const v = project.volumes[m.source];
        source = v?.external ? (v.external_name ?? v.name) : (v?.engine_name ?? volumeEngineName(project.name, m.source));
      }
      const volume: EngineMount = { Type: 'volume', Source: source, Target: m.target, ReadOnly: m.read_only };
      if (m.volume) volume.VolumeOptions = { ...(m.volume.nocopy ? { NoCopy: true } : {}), ...(m.volume.subpath ? { Subpath: m.volume.subpath } : {}) };
      out.push(volume);
    }
  }
  // Anonymous volumes that came from the image (not declared in the Boltfile) are carried over too.
  for (const [target, volume] of Object.entries(carried)) {
    if (!s.volumes.some((m) => m.target === target)) out.push({ Type: 'volume', Source: volume, Target: target });
  }
  // File-based secrets and configs are read-only binds, as compose mounts them on a single engine; the others are
  // copied in before the container starts (containers.ts).
  for (const f of [...s.secrets, ...s.configs]) {
    if (f.file !== null) out.push({ Type: 'bind', Source: f.file, Target: f.target, ReadOnly: true });
  }
  if (s.use_api_socket) out.push({ Type: 'bind', Source: '/var/run/docker.sock', Target: '/var/run/docker.sock' });
  return { binds, mounts: out };
}

/** compose's security_opt handling: a seccomp profile file is read and inlined; systempaths=unconfined unmasks /proc. */
function securityOptions(project: Project, s: Service): { options: string[]; unconfined: boolean } {
  const options: string[] = [];
  let unconfined = false;
  for (const opt of s.security_opt) {
    if (opt === 'systempaths=unconfined') {
      unconfined = true;
      continue;
    }
    const m = /^seccomp[=:](.+)$/.exec(opt);
    if (m && m[1] !== 'unconfined' && m[1] !== 'builtin') {
      const file = isAbsolute(m[1] as string) ? (m[1] as string) : resolve(project.workingDir, m[1] as string);
      try {
        options.push(`seccomp=${JSON.stringify(JSON.parse(readFileSync(file, 'utf8')))}`);
      } catch (err) {
        throw new EngineError(`service ${s.name}: cannot read the seccomp profile ${file}: ${errorMessage(err)}`);
      }
    } else options.push(opt);
  }
  return { options, unconfined };
}

/** Everything of HostConfig but ports, mounts and the network, which the caller adds. */
export function hostSettings(project: Project, s: Service): HostConfig {
  const h: HostConfig = {};
  const set = <K extends keyof HostConfig>(key: K, value: HostConfig[K] | null | undefined, when = value !== null && value !== undefined): void => {
    if (when) h[key] = value as HostConfig[K];
  };
  set('Memory', s.memory_limit_bytes);
  if (s.cpu_limit !== null) h.NanoCpus = Math.round(s.cpu_limit * 1e9);
  set('MemoryReservation', s.mem_reservation_bytes);
  set('MemorySwap', s.memswap_limit_bytes);
  set('MemorySwappiness', s.mem_swappiness);
  set('OomKillDisable', s.oom_kill_disable, s.oom_kill_disable);
  set('OomScoreAdj', s.oom_score_adj);
  set('CpuShares', s.cpu_shares);
  set('CpuPeriod', s.cpu_period);
  set('CpuQuota', s.cpu_quota);
  set('CpuRealtimePeriod', s.cpu_rt_period);
  set('CpuRealtimeRuntime', s.cpu_rt_runtime);
  set('CpuCount', s.cpu_count);
  set('CpuPercent', s.cpu_percent);
  set('CpusetCpus', s.cpuset);
  set('PidsLimit', s.pids_limit);
  const b = s.blkio_config;
  if (b) {
    set('BlkioWeight', b.weight);
    const rate = (list: { path: string; rate: number }[]) => list.map((r) => ({ Path: r.path, Rate: r.rate }));
    set('BlkioWeightDevice', b.weight_device.map((w) => ({ Path: w.path, Weight: w.weight })), b.weight_device.length > 0);
    set('BlkioDeviceReadBps', rate(b.device_read_bps), b.device_read_bps.length > 0);
    set('BlkioDeviceWriteBps', rate(b.device_write_bps), b.device_write_bps.length > 0);
    set('BlkioDeviceReadIOps', rate(b.device_read_iops), b.device_read_iops.length > 0);
    set('BlkioDeviceWriteIOps', rate(b.device_write_iops), b.device_write_iops.length > 0);
  }
  set('DeviceCgroupRules', s.device_cgroup_rules, s.device_cgroup_rules.length > 0);
  set('Ulimits', Object.entries(s.ulimits).map(([Name, u]) => ({ Name, Soft: u.soft, Hard: u.hard })), Object.keys(s.ulimits).length > 0);
  set('Sysctls', s.sysctls, Object.keys(s.sysctls).length > 0);
  set('ShmSize', s.shm_size_bytes);
  set('Init', s.init);
  set('PidMode', namespaceMode(project, s.pid));
  set('IpcMode', namespaceMode(project, s.ipc));
  set('UTSMode', namespaceMode(project, s.uts));
  set('UsernsMode', s.userns_mode);
  set('CgroupnsMode', s.cgroup);
  set('CgroupParent', s.cgroup_parent);
  if (s.logging) h.LogConfig = { Type: s.logging.driver ?? '', Config: s.logging.options };
  const security = securityOptions(project, s);
  set('SecurityOpt', security.options, security.options.length > 0);
  if (security.unconfined) {
    h.MaskedPaths = [];
    h.ReadonlyPaths = [];
  }
  set('GroupAdd', s.group_add, s.group_add.length > 0);
  set('DnsSearch', s.dns_search, s.dns_search.length > 0);
  set('DnsOptions', s.dns_opt, s.dns_opt.length > 0);
  set('Runtime', s.runtime ?? s.gpu?.runtime);
  set('StorageOpt', s.storage_opt, Object.keys(s.storage_opt).length > 0);
  set('Isolation', s.isolation);
  set('Annotations', s.annotations, Object.keys(s.annotations).length > 0);
  set('VolumesFrom', volumesFrom(project, s), s.volumes_from.length > 0);
  const requests: Docker.DeviceRequest[] = [];
  if (s.gpu) {
    const request: Docker.DeviceRequest = { Driver: 'nvidia', Capabilities: [[...s.gpu.capabilities, 'gpu']] };
    if (s.gpu.count !== undefined) request.Count = s.gpu.count;
    else if (s.gpu.devices === 'all') request.Count = -1;
    else request.DeviceIDs = s.gpu.devices;
    requests.push(request);
  }
  for (const r of s.device_requests) {
    const request: Docker.DeviceRequest = { Driver: r.driver ?? '', Capabilities: r.capabilities.length ? [r.capabilities] : [] };
    if (r.device_ids.length) request.DeviceIDs = r.device_ids;
    else if (r.count !== null) request.Count = r.count;
    if (Object.keys(r.options).length) request.Options = r.options;
    requests.push(request);
  }
  set('DeviceRequests', requests, requests.length > 0);
  return h;
}
