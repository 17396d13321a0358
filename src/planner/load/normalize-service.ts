// One [services.NAME] table → one Service: every accepted form of each key collapses here (each section has its own
// file: container settings, networking, lifecycle, build, deploy, files); problems are reported with the key path
// they came from so the loader can locate them in the source.
import type { Dependency, DriverKind, Mount, PortMapping, Project, Service, WatchRule } from '../../model/model.js';
import type { RawBoltfile, RawService } from './boltfile-schema.js';
import { parseExtraHosts } from './extra-hosts.js';
import { gpuEnvironment, normalizeGpu } from './gpu.js';
import { parseMount, parseMountTableEntry, resolveHostPath } from './mounts.js';
import { build } from './normalize-build.js';
import { bytes, containerSettings } from './normalize-container.js';
import { deploySettings } from './normalize-deploy.js';
import { readServiceEnvFiles } from './env-files.js';
import { imageReferenceProblem } from './image-ref.js';
import { fileMounts, labelFiles } from './normalize-files.js';
import { command, didYouMean, duration, keyValues, stringList, type NormalizeContext } from './normalize-forms.js';
import { healthcheck, hooks } from './normalize-lifecycle.js';
import { networking, sharedService } from './normalize-networking.js';
import { parsePort } from './ports.js';
import type { Path } from './schema-walk.js';
import { parseCpus } from '../../model/units.js';

const RESTART = /^(no|always|unless-stopped|on-failure(:\d+)?)$/;
const PROFILE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** Settings a container engine applies and a host process cannot (`networks` has its own warning). */
const CONTAINER_ONLY = [
  'image', 'build', 'entrypoint', 'ports', 'expose', 'volumes', 'volumes_from', 'labels', 'label_file', 'annotations',
  'user', 'privileged', 'devices', 'device_cgroup_rules', 'cap_add', 'cap_drop', 'capabilities', 'read_only', 'tmpfs',
  'extra_hosts', 'dns', 'dns_search', 'dns_opt', 'hostname', 'domainname', 'mac_address', 'container_name', 'cpu_limit',
  'cpus', 'memory_limit', 'mem_limit', 'mem_reservation', 'memswap_limit', 'mem_swappiness', 'cpu_shares', 'cpu_period',
  'cpu_quota', 'cpu_rt_period', 'cpu_rt_runtime', 'cpu_count', 'cpu_percent', 'cpuset', 'pids_limit', 'oom_kill_disable',
  'oom_score_adj', 'shm_size', 'blkio_config', 'ulimits', 'sysctls', 'storage_opt', 'network', 'network_mode', 'links',
  'external_links', 'pid', 'ipc', 'uts', 'userns_mode', 'cgroup', 'cgroup_parent', 'isolation', 'logging',
  'security_opt', 'stdin_open', 'tty', 'group_add', 'pull_policy', 'init', 'secrets', 'configs', 'pre_start',
  'post_start', 'pre_stop', 'deploy', 'gpus', 'use_api_socket', 'gpu', 'gpu_enabled', 'platform',
] as const satisfies readonly (keyof RawService)[];

/** The tables of a workload type: each applies only with its type (and a GPU). */
const WORKLOAD_TABLES = [['aiml', 'ai-ml'], ['gaming', 'gaming']] as const;

/** Keys a single engine has no use for at all, whatever the driver. */
const NOT_FOR_AN_ENGINE: [keyof RawService, string][] = [
  ['credential_spec', 'a Windows container setting; not applied by surge'],
  ['models', "Docker Model Runner's models are not provided by surge"],
  ['provider', 'provider services (compose plugins) are not run by surge'],
  ['pull_refresh_after', 'not applied by surge (use pull_policy)'],
];

function driverOf(raw: RawService, top: DriverKind | undefined): DriverKind {
  if (raw.driver) return raw.driver;
  if (raw.image !== undefined || raw.build !== undefined) return top ?? 'docker';
  if (raw.command !== undefined) return top ?? 'process';
  return top ?? 'docker';
}

/** A value set both the compose way and the surge/deploy way must agree, as compose requires. */
function agree(a: number | null, b: number | null, ctx: NormalizeContext, problem: () => { at: Path; what: string }): number | null {
  if (a !== null && b !== null && a !== b) {
    // (the place and the wording are spelled out only for a conflict: this runs five times for every service)
    const { at, what } = problem();
    ctx.error(at, `can't set distinct values on ${what}`);
  }
  return b ?? a;
}

function dependencies(name: string, raw: RawService, path: Path, ctx: NormalizeContext, implicit: [string, boolean][]): Record<string, Dependency> {
  const depends_on: Record<string, Dependency> = {};
  if (Array.isArray(raw.depends_on)) {
    for (const dep of raw.depends_on) depends_on[dep] = { condition: 'service_started', required: true, restart: false };
  } else if (raw.depends_on) {
    for (const [dep, d] of Object.entries(raw.depends_on)) {
      depends_on[dep] = { condition: d.condition ?? 'service_started', required: d.required ?? true, restart: d.restart ?? false };
    }
  }
  // What shares a namespace, mounts volumes from or links to another service starts after it (compose adds these).
  for (const [dep, restart] of implicit) {
    if (dep === name) ctx.error(path, `service "${name}" refers to itself`);
    else depends_on[dep] ??= { condition: 'service_started', required: true, restart };
  }
  return depends_on;
}

export function service(name: string, raw: RawService, doc: RawBoltfile, files: Pick<Project, 'secrets' | 'configs'>, ctx: NormalizeContext, quicNetwork: () => string): Service {
  const path: Path = ['services', name];
  const driver = driverOf(raw, doc.driver);
  if (driver === 'process' && raw.command === undefined) {
    ctx.error(path, `service "${name}" runs as a host process but has no \`command\``);
  }
  if (driver === 'docker' && raw.image === undefined && raw.build === undefined) {
    // Bolt's capsules are its own runtime's format: such a service loads (with the capsule warning) but cannot run here.
    if ('capsule' in raw) ctx.warn(path, `service "${name}" has no image or build, so surge cannot run it (\`capsule\` is Bolt's own format)`);
    else if (raw.command === undefined && !ctx.partial) ctx.error(path, `service "${name}" has neither \`image\`, \`build\` nor \`command\`: there is nothing to run`);
    else ctx.warn(path, `service "${name}" has no image or build, so surge cannot run it`);
  }

  // The engine refuses what this refuses ("invalid reference format"): say so when validating, with the place.
  if (raw.image?.startsWith('bolt://')) ctx.warn([...path, 'image'], 'a bolt:// image is from Bolt\'s own registry, which a container engine cannot pull');
  else {
    const imageProblem = raw.image === undefined ? null : imageReferenceProblem(raw.image);
    if (imageProblem) ctx.error([...path, 'image'], `invalid image reference: ${imageProblem}`);
  }

  const { settings, cdi } = containerSettings(raw, path, ctx);
  const deploy = deploySettings(raw, path, ctx, driver);
  const net = networking(name, raw, driver, path, ctx, quicNetwork);

  // Paths (and merged copies) only for keys the service has: see containerSettings.
  const env = raw.env === undefined ? null : keyValues(raw.env, [...path, 'env'], ctx, 'environment', true);
  const envTable = raw.environment === undefined ? null : keyValues(raw.environment, [...path, 'environment'], ctx, 'environment', true);
  const declared: Record<string, string> = env && envTable ? { ...env, ...envTable } : (env ?? envTable ?? {});
  const environment: Record<string, string> = raw.env_file === undefined ? declared : { ...readServiceEnvFiles(raw.env_file, path, declared, ctx), ...declared };

  const implicit: [string, boolean][] = [];
  for (const l of net.links) implicit.push([l.split(':')[0] as string, true]);
  for (const mode of [net.network_mode, settings.ipc, settings.pid, settings.uts]) {
    const shared = sharedService(mode);
    if (shared) implicit.push([shared, true]);
  }
  const volumesFrom = raw.volumes_from ?? [];
  for (const v of volumesFrom) if (!v.startsWith('container:')) implicit.push([(v.startsWith('service:') ? v.slice(8) : v).split(':')[0] as string, false]);
  const depends_on = dependencies(name, raw, path, ctx, implicit);

  const ports: PortMapping[] = [];
  const addPorts = (list: RawService['ports'], at: Path): void => {
    list?.forEach((p, i) => {
      const r = parsePort(p);
      if (r.ok) ports.push(r.value);
      else ctx.error([...at, i], r.message);
    });
  };
  if (raw.ports) addPorts(raw.ports, [...path, 'ports']);
  if (raw.network?.ports) addPorts(raw.network.ports, [...path, 'network', 'ports']);

  const volumes: Mount[] = [];
  const mounted = new Map<string, string>();
  for (const t of stringList(raw.tmpfs)) mounted.set(t.split(':')[0] as string, 'tmpfs');
  const declaredVolume = (m: Mount, at: Path): void => {
    if (m.type === 'volume' && m.source !== null && !doc.volumes?.[m.source]) {
      const source = m.source;
      const hint = (): string => didYouMean(source, Object.keys(doc.volumes ?? {})) || `; add [volumes.${source}] or use a path like "./${source}" for a host folder`;
      ctx.error(at, () => `volume "${source}" is not declared${hint()}`);
      return;
    }
    const clash = mounted.get(m.target);
    if (clash) ctx.error(at, `${m.target} is already mounted (${clash})`);
    mounted.set(m.target, 'volumes');
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

  let restart = raw.restart ?? 'no';
  if (!RESTART.test(restart)) {
    ctx.error([...path, 'restart'], `invalid restart policy "${restart}" (no, always, unless-stopped, on-failure or on-failure:N)`);
  }
  // compose: deploy.restart_policy wins over `restart`.
  if (deploy.restart !== null) {
    if (raw.restart !== undefined && raw.restart !== deploy.restart) ctx.warn([...path, 'deploy', 'restart_policy'], `overrides restart = "${raw.restart}" (compose's rule)`);
    restart = deploy.restart;
  }

  let extraHosts: string[] = [];
  if (raw.extra_hosts !== undefined) {
    const hosts = parseExtraHosts(raw.extra_hosts);
    if (hosts.ok) extraHosts = hosts.value;
    else ctx.error([...path, 'extra_hosts', hosts.at], hosts.message);
  }

  let cpu: number | null = null;
  const cpuRaw = raw.cpu_limit ?? raw.cpus;
  const cpuKey = raw.cpu_limit !== undefined ? 'cpu_limit' : 'cpus';
  if (cpuRaw !== undefined) {
    const c = parseCpus(cpuRaw);
    if (c.ok) cpu = c.value;
    else ctx.error([...path, cpuKey], c.message);
  }
  const memKey = raw.memory_limit !== undefined ? 'memory_limit' : 'mem_limit';
  const memRaw = raw.memory_limit ?? raw.mem_limit;
  const memory = memRaw === undefined ? null : bytes(memRaw, [...path, memKey], ctx);
  const limits = (...keys: string[]): Path => [...path, 'deploy', 'resources', ...keys];
  cpu = agree(cpu, deploy.cpu_limit, ctx, () => ({ at: limits('limits', 'cpus'), what: `'${cpuKey}' and 'deploy.resources.limits.cpus'` }));
  const memoryLimit = agree(memory, deploy.memory_limit_bytes, ctx, () => ({ at: limits('limits', 'memory'), what: `'${memKey}' and 'deploy.resources.limits.memory'` }));
  const pidsLimit = agree(settings.pids_limit, deploy.pids_limit, ctx, () => ({ at: limits('limits', 'pids'), what: "'pids_limit' and 'deploy.resources.limits.pids'" }));
  const memReservation = agree(settings.mem_reservation_bytes, deploy.mem_reservation_bytes, ctx, () => ({
    at: limits('reservations', 'memory'),
    what: "'mem_reservation' and 'deploy.resources.reservations.memory'",
  }));

  if (raw.replicas !== undefined && raw.scale !== undefined && raw.replicas !== raw.scale) ctx.error([...path, 'scale'], "can't set distinct values on 'replicas' and 'scale'");
  const replicas = agree(raw.replicas ?? raw.scale ?? null, deploy.replicas, ctx, () => ({ at: [...path, 'deploy', 'replicas'], what: "'scale' and 'deploy.replicas'" })) ?? 1;
  if (settings.container_name !== null && replicas > 1) {
    ctx.error([...path, 'container_name'], `service "${name}" has ${replicas} replicas: a fixed container_name allows one (container names are unique)`);
  }

  const profiles = raw.profiles ?? [];
  profiles.forEach((p, i) => {
    if (!PROFILE.test(p)) ctx.error([...path, 'profiles', i], `invalid profile name "${p}" (letters, digits, "_", "." and "-", at least two characters)`);
  });

  if (driver === 'process') {
    // A host process runs as the user running surge, unconfined: say so rather than silently drop the setting.
    for (const key of CONTAINER_ONLY) {
      if (raw[key] !== undefined) ctx.warn([...path, key], `service "${name}" is a host process: \`${key}\` does not apply to it`);
    }
  }
  for (const [key, why] of NOT_FOR_AN_ENGINE) if (raw[key] !== undefined) ctx.warn([...path, key], why);
  if (raw.attach === false) ctx.warn([...path, 'attach'], 'not applied by surge yet: `up --attach` streams the logs of every service');

  let gpu = normalizeGpu(raw, path, ctx.error, ctx.warn);
  if (deploy.gpu) {
    if (gpu) ctx.error([...path, raw.gpus !== undefined ? 'gpus' : 'deploy'], 'the GPU is asked for twice: use either `gpu` or compose\'s `gpus` / deploy device reservations');
    gpu ??= deploy.gpu;
  }
  // Workload tables mean something only with their workload type and a GPU: say so rather than drop them quietly.
  const workload = raw.workload_type === 'ai' ? 'ai-ml' : raw.workload_type;
  for (const [table, type] of WORKLOAD_TABLES) {
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
  const deviceRequests = [...deploy.device_requests];
  if (cdi.length) deviceRequests.push({ driver: 'cdi', count: null, device_ids: cdi, capabilities: [], options: {} });

  return {
    name,
    driver,
    image: raw.image ?? null,
    build: raw.build === undefined ? null : build(raw.build, raw.platform, [...path, 'build'], ctx),
    command: raw.command === undefined ? null : command(raw.command, driver, [...path, 'command'], ctx),
    entrypoint: raw.entrypoint === undefined ? null : command(raw.entrypoint, driver, [...path, 'entrypoint'], ctx),
    environment,
    depends_on,
    ports,
    volumes,
    tmpfs: stringList(raw.tmpfs),
    healthcheck: hc ? healthcheck(hc, [...path, hcKey], ctx) : null,
    restart,
    labels: raw.label_file === undefined && raw.labels === undefined ? {} : { ...labelFiles(raw, path, ctx), ...keyValues(raw.labels, [...path, 'labels'], ctx, 'label', false) },
    user: raw.user === undefined ? null : String(raw.user),
    working_dir: raw.working_dir === undefined ? null : driver === 'process' ? resolveHostPath(raw.working_dir, ctx.workingDir) : raw.working_dir,
    privileged: raw.privileged ?? false,
    cap_add: capAdd,
    cap_drop: capDrop,
    read_only: raw.read_only ?? false,
    extra_hosts: extraHosts,
    dns: stringList(raw.dns),
    hostname: raw.hostname ?? null,
    stop_signal: raw.stop_signal ?? null,
    stop_grace_period_ms: raw.stop_grace_period === undefined ? null : duration(raw.stop_grace_period, [...path, 'stop_grace_period'], ctx),
    replicas,
    cpu_limit: cpu,
    memory_limit_bytes: memoryLimit,
    networks: net.networks,
    gpu,
    platform: raw.platform ?? null,
    develop: watch.length ? { watch } : null,
    // The container settings one by one, in their order, rather than spread: a spread in the middle of this literal
    // built each Service key by key (5,000 services: some 6 ms of CPU profile).
    container_name: settings.container_name,
    expose: settings.expose,
    init: settings.init,
    ulimits: settings.ulimits,
    sysctls: settings.sysctls,
    shm_size_bytes: settings.shm_size_bytes,
    pid: settings.pid,
    ipc: settings.ipc,
    uts: settings.uts,
    userns_mode: settings.userns_mode,
    cgroup: settings.cgroup,
    cgroup_parent: settings.cgroup_parent,
    logging: settings.logging,
    security_opt: settings.security_opt,
    stdin_open: settings.stdin_open,
    tty: settings.tty,
    group_add: settings.group_add,
    pull_policy: settings.pull_policy,
    dns_search: settings.dns_search,
    dns_opt: settings.dns_opt,
    domainname: settings.domainname,
    mac_address: settings.mac_address,
    oom_score_adj: settings.oom_score_adj,
    oom_kill_disable: settings.oom_kill_disable,
    mem_reservation_bytes: memReservation,
    memswap_limit_bytes: settings.memswap_limit_bytes,
    mem_swappiness: settings.mem_swappiness,
    cpu_shares: settings.cpu_shares,
    cpu_period: settings.cpu_period,
    cpu_quota: settings.cpu_quota,
    cpu_rt_period: settings.cpu_rt_period,
    cpu_rt_runtime: settings.cpu_rt_runtime,
    cpu_count: settings.cpu_count,
    cpu_percent: settings.cpu_percent,
    cpuset: settings.cpuset,
    pids_limit: pidsLimit,
    blkio_config: settings.blkio_config,
    device_cgroup_rules: settings.device_cgroup_rules,
    runtime: settings.runtime,
    storage_opt: settings.storage_opt,
    isolation: settings.isolation,
    annotations: settings.annotations,
    use_api_socket: settings.use_api_socket,
    attach: settings.attach,
    devices: settings.devices,
    profiles,
    network_mode: net.network_mode,
    links: net.links,
    external_links: net.external_links,
    device_requests: deviceRequests,
    volumes_from: volumesFrom,
    secrets: fileMounts('secret', raw, path, doc, files.secrets, ctx),
    configs: fileMounts('config', raw, path, doc, files.configs, ctx),
    hooks: hooks(raw, driver, path, ctx),
    deploy: deploy.deploy,
  };
}
