// How `surge config --format toml` writes the compose keys of a service back (boltfile-writer.ts holds the
// Boltfile's own keys). Each entry writes the key compose reads, in a form that normalizes to the same model field;
// defaults are left out. Secret and config values are never written: only where they come from.
import type { FileMount, Service, ServiceHook, UpdateConfig } from '../../model/model.js';
import { formatBytes, formatDuration } from './boltfile-writer-format.js';

type Writer = (s: Service) => Record<string, unknown> | null;

/** The key written as is when it differs from its default (empty lists and tables, null, false). */
function same<K extends keyof Service>(key: K): Writer {
  return (s) => {
    const v = s[key] as unknown;
    if (v === null || v === undefined || v === false) return null;
    if (Array.isArray(v) && !v.length) return null;
    if (typeof v === 'object' && !Array.isArray(v) && !Object.keys(v as object).length) return null;
    return { [key]: v };
  };
}

function bytes(key: string, value: number | null): Record<string, unknown> | null {
  return value === null ? null : { [key]: formatBytes(value) };
}

function fileMount(m: FileMount): Record<string, unknown> {
  return { source: m.source, target: m.target, ...(m.uid !== null ? { uid: m.uid } : {}), ...(m.gid !== null ? { gid: m.gid } : {}), ...(m.mode !== null ? { mode: m.mode } : {}) };
}

function hook(h: ServiceHook): Record<string, unknown> {
  return {
    command: h.command,
    ...(h.user !== null ? { user: h.user } : {}),
    ...(h.privileged ? { privileged: true } : {}),
    ...(h.working_dir !== null ? { working_dir: h.working_dir } : {}),
    ...(Object.keys(h.environment).length ? { environment: h.environment } : {}),
  };
}

function update(u: UpdateConfig | null): Record<string, unknown> | null {
  if (!u) return null;
  return {
    ...(u.parallelism !== null ? { parallelism: u.parallelism } : {}),
    ...(u.delay_ms !== null ? { delay: formatDuration(u.delay_ms) } : {}),
    ...(u.failure_action !== null ? { failure_action: u.failure_action } : {}),
    ...(u.monitor_ms !== null ? { monitor: formatDuration(u.monitor_ms) } : {}),
    ...(u.max_failure_ratio !== null ? { max_failure_ratio: u.max_failure_ratio } : {}),
    ...(u.order !== null ? { order: u.order } : {}),
  };
}

/** The compose keys of the model, one writer each (the Service type requires every field to have one). */
export const COMPOSE_SERVICE_FIELDS = {
  profiles: same('profiles'),
  container_name: same('container_name'),
  expose: same('expose'),
  init: (s: Service) => (s.init === null ? null : { init: s.init }),
  ulimits: same('ulimits'),
  sysctls: same('sysctls'),
  shm_size_bytes: (s: Service) => bytes('shm_size', s.shm_size_bytes),
  network_mode: same('network_mode'),
  pid: same('pid'),
  ipc: same('ipc'),
  uts: same('uts'),
  userns_mode: same('userns_mode'),
  cgroup: same('cgroup'),
  cgroup_parent: same('cgroup_parent'),
  logging: (s: Service) => s.logging && { logging: { ...(s.logging.driver !== null ? { driver: s.logging.driver } : {}), ...(Object.keys(s.logging.options).length ? { options: s.logging.options } : {}) } },
  security_opt: same('security_opt'),
  stdin_open: same('stdin_open'),
  tty: same('tty'),
  group_add: same('group_add'),
  pull_policy: same('pull_policy'),
  dns_search: same('dns_search'),
  dns_opt: same('dns_opt'),
  domainname: same('domainname'),
  mac_address: same('mac_address'),
  oom_score_adj: same('oom_score_adj'),
  oom_kill_disable: same('oom_kill_disable'),
  mem_reservation_bytes: (s: Service) => bytes('mem_reservation', s.mem_reservation_bytes),
  memswap_limit_bytes: (s: Service) => bytes('memswap_limit', s.memswap_limit_bytes),
  mem_swappiness: same('mem_swappiness'),
  cpu_shares: same('cpu_shares'),
  cpu_period: same('cpu_period'),
  cpu_quota: same('cpu_quota'),
  cpu_rt_period: same('cpu_rt_period'),
  cpu_rt_runtime: same('cpu_rt_runtime'),
  cpu_count: same('cpu_count'),
  cpu_percent: same('cpu_percent'),
  cpuset: same('cpuset'),
  pids_limit: same('pids_limit'),
  blkio_config: (s: Service) => s.blkio_config && { blkio_config: s.blkio_config },
  device_cgroup_rules: same('device_cgroup_rules'),
  device_requests: (s: Service) =>
    s.device_requests.length
      ? {
          deploy: {
            resources: {
              reservations: {
                devices: s.device_requests.map((d) => ({
                  ...(d.driver !== null ? { driver: d.driver } : {}),
                  ...(d.count !== null ? { count: d.count } : {}),
                  ...(d.device_ids.length ? { device_ids: d.device_ids } : {}),
                  capabilities: d.capabilities,
                  ...(Object.keys(d.options).length ? { options: d.options } : {}),
                })),
              },
            },
          },
        }
      : null,
  runtime: same('runtime'),
  storage_opt: same('storage_opt'),
  isolation: same('isolation'),
  annotations: same('annotations'),
  volumes_from: same('volumes_from'),
  links: same('links'),
  external_links: same('external_links'),
  secrets: (s: Service) => (s.secrets.length ? { secrets: s.secrets.map(fileMount) } : null),
  configs: (s: Service) => (s.configs.length ? { configs: s.configs.map(fileMount) } : null),
  hooks: (s: Service) => {
    const out: Record<string, unknown> = {};
    for (const k of ['pre_start', 'post_start', 'pre_stop'] as const) if (s.hooks[k].length) out[k] = s.hooks[k].map(hook);
    return Object.keys(out).length ? out : null;
  },
  deploy: (s: Service) => {
    const d = s.deploy;
    if (!d) return null;
    const deploy: Record<string, unknown> = {
      ...(d.mode !== null ? { mode: d.mode } : {}),
      ...(d.endpoint_mode !== null ? { endpoint_mode: d.endpoint_mode } : {}),
      ...(Object.keys(d.labels).length ? { labels: d.labels } : {}),
      ...(d.placement ? { placement: d.placement } : {}),
      ...(d.update_config ? { update_config: update(d.update_config) } : {}),
      ...(d.rollback_config ? { rollback_config: update(d.rollback_config) } : {}),
    };
    if (d.restart_policy) {
      const r = d.restart_policy;
      deploy.restart_policy = {
        ...(r.condition !== null ? { condition: r.condition } : {}),
        ...(r.delay_ms !== null ? { delay: formatDuration(r.delay_ms) } : {}),
        ...(r.max_attempts !== null ? { max_attempts: r.max_attempts } : {}),
        ...(r.window_ms !== null ? { window: formatDuration(r.window_ms) } : {}),
      };
    }
    if (d.cpu_reservation !== null || d.generic_resources.length) {
      deploy.resources = {
        reservations: {
          ...(d.cpu_reservation !== null ? { cpus: d.cpu_reservation } : {}),
          ...(d.generic_resources.length ? { generic_resources: d.generic_resources.map((g) => ({ discrete_resource_spec: { kind: g.kind, value: g.value } })) } : {}),
        },
      };
    }
    return Object.keys(deploy).length ? { deploy } : null;
  },
  use_api_socket: same('use_api_socket'),
  attach: (s: Service) => (s.attach ? null : { attach: false }),
} satisfies Record<string, Writer>;
