// What a Swarm service (Engine API 1.41, Docker 20.10 and later) cannot do that a container on one engine can: each
// key a service sets is an error (the stack would not work as written) or a warning (it runs, without that setting),
// located at the key. Nothing is dropped in silence.
import type { Service } from '../../model/model.js';
import type { RawService } from './boltfile-schema.js';
import type { Path } from './schema-walk.js';

export interface CheckReport {
  error(path: Path, message: string): void;
  warn(path: Path, message: string): void;
}

type Rule = [key: string, set: (s: Service) => boolean, severity: 'error' | 'warn', why: string];

const RUN_ON_ONE_ENGINE = 'run it on a single engine (--driver docker)';

/** Keys a ServiceSpec has no field for. */
const RULES: Rule[] = [
  ['privileged', (s) => s.privileged, 'error', `a Swarm service cannot run privileged; ${RUN_ON_ONE_ENGINE}`],
  ['devices', (s) => s.devices.length > 0, 'error', `a Swarm service cannot map host devices; ${RUN_ON_ONE_ENGINE}`],
  ['device_cgroup_rules', (s) => s.device_cgroup_rules.length > 0, 'error', `a Swarm service has no device cgroup rules; ${RUN_ON_ONE_ENGINE}`],
  ['device_requests', (s) => s.device_requests.length > 0, 'error', 'a Swarm reserves devices as generic resources (deploy.resources.reservations.generic_resources), not device requests'],
  ['network_mode', (s) => s.network_mode !== null, 'error', 'a Swarm service joins overlay networks; it has no network_mode'],
  ['pid', (s) => s.pid !== null, 'error', 'a Swarm service has no pid namespace setting'],
  ['ipc', (s) => s.ipc !== null, 'error', 'a Swarm service has no ipc namespace setting'],
  ['uts', (s) => s.uts !== null, 'error', 'a Swarm service has no uts namespace setting'],
  ['userns_mode', (s) => s.userns_mode !== null, 'error', 'a Swarm service has no user namespace setting'],
  ['volumes_from', (s) => s.volumes_from.length > 0, 'error', 'a Swarm service cannot mount another container\'s volumes (its tasks run on other nodes)'],
  ['use_api_socket', (s) => s.use_api_socket, 'error', 'a Swarm task runs on any node: mount the engine socket with a bind volume and a placement constraint instead'],
  ['post_start', (s) => s.hooks.post_start.length > 0, 'error', 'a Swarm runs no lifecycle hooks in its tasks'],
  ['pre_stop', (s) => s.hooks.pre_stop.length > 0, 'error', 'a Swarm runs no lifecycle hooks in its tasks'],
  ['pre_start', (s) => s.hooks.pre_start.length > 0, 'error', 'a Swarm runs no lifecycle hooks before its tasks'],
  ['cgroup', (s) => s.cgroup !== null, 'warn', 'not applied on a Swarm'],
  ['cgroup_parent', (s) => s.cgroup_parent !== null, 'warn', 'not applied on a Swarm'],
  ['security_opt', (s) => s.security_opt.length > 0, 'warn', 'not applied on a Swarm'],
  ['shm_size', (s) => s.shm_size_bytes !== null, 'warn', 'not applied on a Swarm (mount a tmpfs at /dev/shm instead)'],
  ['oom_score_adj', (s) => s.oom_score_adj !== null, 'warn', 'not applied on a Swarm'],
  ['oom_kill_disable', (s) => s.oom_kill_disable, 'warn', 'not applied on a Swarm'],
  ['memswap_limit', (s) => s.memswap_limit_bytes !== null, 'warn', 'not applied on a Swarm'],
  ['mem_swappiness', (s) => s.mem_swappiness !== null, 'warn', 'not applied on a Swarm'],
  ['cpu_shares', (s) => s.cpu_shares !== null, 'warn', 'not applied on a Swarm (use deploy.resources)'],
  ['cpu_period', (s) => s.cpu_period !== null, 'warn', 'not applied on a Swarm (use deploy.resources)'],
  ['cpu_quota', (s) => s.cpu_quota !== null, 'warn', 'not applied on a Swarm (use deploy.resources)'],
  ['cpu_rt_period', (s) => s.cpu_rt_period !== null, 'warn', 'not applied on a Swarm'],
  ['cpu_rt_runtime', (s) => s.cpu_rt_runtime !== null, 'warn', 'not applied on a Swarm'],
  ['cpu_count', (s) => s.cpu_count !== null, 'warn', 'not applied on a Swarm (use deploy.resources)'],
  ['cpu_percent', (s) => s.cpu_percent !== null, 'warn', 'not applied on a Swarm (use deploy.resources)'],
  ['cpuset', (s) => s.cpuset !== null, 'warn', 'not applied on a Swarm'],
  ['blkio_config', (s) => s.blkio_config !== null, 'warn', 'not applied on a Swarm'],
  ['runtime', (s) => s.runtime !== null && s.runtime !== s.gpu?.runtime, 'warn', 'not applied on a Swarm: each node runs its engine\'s default runtime'],
  ['storage_opt', (s) => Object.keys(s.storage_opt).length > 0, 'warn', 'not applied on a Swarm'],
  ['annotations', (s) => Object.keys(s.annotations).length > 0, 'warn', 'not applied on a Swarm'],
  ['links', (s) => s.links.length > 0, 'warn', 'not applied on a Swarm: services reach each other by name on their networks'],
  ['external_links', (s) => s.external_links.length > 0, 'warn', 'not applied on a Swarm'],
  ['mac_address', (s) => s.mac_address !== null, 'warn', 'not applied on a Swarm'],
  ['domainname', (s) => s.domainname !== null, 'warn', 'not applied on a Swarm'],
  ['container_name', (s) => s.container_name !== null, 'warn', 'not applied on a Swarm: tasks are named SERVICE.SLOT by the Swarm'],
];

const VALUES: [key: string, value: (s: Service) => string | null | undefined, allowed: readonly string[]][] = [
  ['mode', (s) => s.deploy?.mode, ['replicated', 'global', 'replicated-job', 'global-job']],
  ['endpoint_mode', (s) => s.deploy?.endpoint_mode, ['vip', 'dnsrr']],
];

/** The key a value came from, when the Boltfile spells it another way (hooks live at the service's top level). */
function keyPath(name: string, key: string): Path {
  return ['services', name, key];
}

export function checkSwarmService(s: Service, raw: RawService | undefined, report: CheckReport): void {
  for (const [key, set, severity, why] of RULES) {
    if (!set(s)) continue;
    report[severity](keyPath(s.name, key), why);
  }
  for (const [key, value, allowed] of VALUES) {
    const v = value(s);
    if (v && !allowed.includes(v)) report.error(['services', s.name, 'deploy', key], `"${v}" is not a Swarm ${key.replace('_', ' ')} (${allowed.join(', ')})`);
  }
  for (const [key, policy] of [
    ['update_config', s.deploy?.update_config],
    ['rollback_config', s.deploy?.rollback_config],
  ] as const) {
    if (policy?.failure_action && !['rollback', 'pause', 'continue'].includes(policy.failure_action)) {
      report.error(['services', s.name, 'deploy', key, 'failure_action'], `"${policy.failure_action}" is not a failure action (rollback, pause, continue)`);
    }
    if (policy?.order && !['stop-first', 'start-first'].includes(policy.order)) {
      report.error(['services', s.name, 'deploy', key, 'order'], `"${policy.order}" is not an update order (stop-first, start-first)`);
    }
  }
  const dnsrr = (s.deploy?.endpoint_mode ?? null) === 'dnsrr';
  s.ports.forEach((p, i) => {
    if (dnsrr && p.mode === 'ingress') report.error(['services', s.name, 'ports', i], 'an ingress port needs endpoint_mode "vip" (the routing mesh forwards to a virtual IP); publish it in host mode');
  });
  if (s.healthcheck?.start_interval_ms !== undefined) report.warn(['services', s.name, 'healthcheck', 'start_interval'], 'not applied on a Swarm (Engine API 1.41)');
  for (const [network, n] of Object.entries(s.networks)) {
    for (const key of ['ipv4_address', 'ipv6_address', 'link_local_ips', 'mac_address', 'priority', 'gw_priority', 'interface_name'] as const) {
      if (n[key] !== undefined) report.warn(['services', s.name, 'networks', network, key], 'not applied on a Swarm');
    }
  }
  s.volumes.forEach((m, i) => {
    if (m.type === 'image' || m.type === 'npipe') report.error(['services', s.name, 'volumes', i], `a Swarm service cannot mount a volume of type "${m.type}"`);
    if (m.volume?.subpath !== undefined) report.warn(['services', s.name, 'volumes', i, 'volume', 'subpath'], 'not applied on a Swarm (Engine API 1.41)');
  });
  if (raw?.restart === 'no') report.warn(['services', s.name, 'restart'], 'a Swarm keeps a service\'s tasks running (restart condition "any"); "no" is not applied there (write deploy.restart_policy.condition = "none")');
}
