// compose's `deploy` and `gpus`. What a single engine applies (replicas, resource limits and reservations, device
// requests, the restart condition and attempts) goes into the service's own fields, with compose's precedence;
// what only a Swarm applies (placement, update/rollback config, mode, endpoint_mode, labels, restart delay and
// window, CPU reservations, generic resources) is kept in `deploy` for the Swarm target and warned about here.
import type { DeploySwarm, DeviceRequest, DriverKind, GpuSpec, UpdateConfig } from '../../model/model.js';
import type { RawService } from './boltfile-schema.js';
import { gpuFromRequest } from './gpu.js';
import { bytes, integer } from './normalize-container.js';
import { duration, keyValues, type NormalizeContext } from './normalize-forms.js';
import type { Path } from './schema-walk.js';
import { parseCpus } from '../../model/units.js';

type RawRequest = NonNullable<Exclude<RawService['gpus'], 'all'>>[number];

export interface DeploySettings {
  replicas: number | null;
  cpu_limit: number | null;
  memory_limit_bytes: number | null;
  pids_limit: number | null;
  mem_reservation_bytes: number | null;
  /** the first NVIDIA GPU request, as `gpu.nvidia` gives it */
  gpu: GpuSpec | null;
  device_requests: DeviceRequest[];
  /** deploy.restart_policy as the engine's restart policy ("no", "always", "on-failure:3", …) */
  restart: string | null;
  deploy: DeploySwarm | null;
}

function request(raw: RawRequest, path: Path, ctx: NormalizeContext, gpuRequest: boolean): DeviceRequest {
  let count: number | null = null;
  if (raw.count === 'all' || raw.count === -1) count = -1;
  else if (raw.count !== undefined) count = integer(raw.count, [...path, 'count'], ctx, 1);
  const capabilities = [...(raw.capabilities ?? [])];
  if (gpuRequest && !capabilities.includes('gpu')) capabilities.push('gpu');
  // Neither a count nor ids: every device of the kind, as compose reads it.
  if (count === null && !raw.device_ids?.length) count = -1;
  return { driver: raw.driver ?? null, count, device_ids: raw.device_ids ?? [], capabilities, options: keyValues(raw.options, [...path, 'options'], ctx, 'option', false) };
}

function isNvidiaGpu(r: DeviceRequest): boolean {
  return r.capabilities.includes('gpu') && (r.driver === null || r.driver === 'nvidia');
}

function updateConfig(raw: NonNullable<NonNullable<RawService['deploy']>['update_config']> | undefined, path: Path, ctx: NormalizeContext): UpdateConfig | null {
  if (!raw) return null;
  const ratio = raw.max_failure_ratio === undefined ? null : Number(raw.max_failure_ratio);
  if (ratio !== null && !(ratio >= 0 && ratio <= 1)) ctx.error([...path, 'max_failure_ratio'], 'max_failure_ratio is a fraction from 0 to 1');
  return {
    parallelism: integer(raw.parallelism, [...path, 'parallelism'], ctx, 0),
    delay_ms: duration(raw.delay, [...path, 'delay'], ctx),
    failure_action: raw.failure_action ?? null,
    monitor_ms: duration(raw.monitor, [...path, 'monitor'], ctx),
    max_failure_ratio: ratio,
    order: raw.order ?? null,
  };
}

const RESTART_CONDITIONS: Record<string, string> = { none: 'no', no: 'no', 'on-failure': 'on-failure', any: 'always', always: 'always', 'unless-stopped': 'unless-stopped' };

export function deploySettings(raw: RawService, path: Path, ctx: NormalizeContext, driver: DriverKind): DeploySettings {
  const d = raw.deploy;
  const out: DeploySettings = { replicas: null, cpu_limit: null, memory_limit_bytes: null, pids_limit: null, mem_reservation_bytes: null, gpu: null, device_requests: [], restart: null, deploy: null };
  // Most services have neither: nothing below is built for them (this runs for every service).
  if (d === undefined && raw.gpus === undefined) return out;
  const requests: { req: DeviceRequest; at: Path }[] = [];
  if (raw.gpus === 'all') requests.push({ req: { driver: null, count: -1, device_ids: [], capabilities: ['gpu'], options: {} }, at: [...path, 'gpus'] });
  else for (const [i, r] of (raw.gpus ?? []).entries()) requests.push({ req: request(r, [...path, 'gpus', i], ctx, true), at: [...path, 'gpus', i] });

  if (d) {
    const at: Path = [...path, 'deploy'];
    out.replicas = integer(d.replicas, [...at, 'replicas'], ctx, 0);
    const limits = d.resources?.limits;
    const reservations = d.resources?.reservations;
    const rat: Path = [...at, 'resources'];
    if (limits?.cpus !== undefined) {
      const c = parseCpus(limits.cpus);
      if (c.ok) out.cpu_limit = c.value;
      else ctx.error([...rat, 'limits', 'cpus'], c.message);
    }
    out.memory_limit_bytes = bytes(limits?.memory, [...rat, 'limits', 'memory'], ctx);
    out.pids_limit = integer(limits?.pids, [...rat, 'limits', 'pids'], ctx, -1);
    out.mem_reservation_bytes = bytes(reservations?.memory, [...rat, 'reservations', 'memory'], ctx);
    for (const [i, r] of (reservations?.devices ?? []).entries()) {
      const dat: Path = [...rat, 'reservations', 'devices', i];
      if (!r.capabilities?.length) ctx.error(dat, 'a device reservation needs `capabilities` (e.g. ["gpu"])');
      requests.push({ req: request(r, dat, ctx, false), at: dat });
    }
    let cpuReservation: number | null = null;
    if (reservations?.cpus !== undefined) {
      const c = parseCpus(reservations.cpus);
      if (c.ok) cpuReservation = c.value;
      else ctx.error([...rat, 'reservations', 'cpus'], c.message);
    }
    const rp = d.restart_policy;
    if (rp?.condition !== undefined) {
      const condition = RESTART_CONDITIONS[rp.condition];
      if (!condition) ctx.error([...at, 'restart_policy', 'condition'], `invalid restart condition "${rp.condition}" (none, on-failure or any)`);
      else {
        const attempts = integer(rp.max_attempts, [...at, 'restart_policy', 'max_attempts'], ctx, 0);
        out.restart = condition === 'on-failure' && attempts ? `on-failure:${attempts}` : condition;
      }
    }
    const placement = d.placement
      ? {
          constraints: d.placement.constraints ?? [],
          preferences: d.placement.preferences ?? [],
          max_replicas_per_node: integer(d.placement.max_replicas_per_node, [...at, 'placement', 'max_replicas_per_node'], ctx, 0),
        }
      : null;
    out.deploy = {
      mode: d.mode ?? null,
      endpoint_mode: d.endpoint_mode ?? null,
      labels: keyValues(d.labels, [...at, 'labels'], ctx, 'label', false),
      placement,
      update_config: updateConfig(d.update_config, [...at, 'update_config'], ctx),
      rollback_config: updateConfig(d.rollback_config, [...at, 'rollback_config'], ctx),
      restart_policy: rp
        ? {
            condition: rp.condition ?? null,
            delay_ms: duration(rp.delay, [...at, 'restart_policy', 'delay'], ctx),
            max_attempts: integer(rp.max_attempts, [...at, 'restart_policy', 'max_attempts'], ctx, 0),
            window_ms: duration(rp.window, [...at, 'restart_policy', 'window'], ctx),
          }
        : null,
      cpu_reservation: cpuReservation,
      generic_resources: (reservations?.generic_resources ?? []).flatMap((g) =>
        g.discrete_resource_spec ? [{ kind: g.discrete_resource_spec.kind, value: Number(g.discrete_resource_spec.value) }] : [],
      ),
    };
    if (driver === 'docker' && ctx.target !== 'swarm') {
      const swarmOnly: [boolean, Path][] = [
        [d.mode !== undefined && d.mode !== 'replicated', [...at, 'mode']],
        [d.endpoint_mode !== undefined, [...at, 'endpoint_mode']],
        [d.labels !== undefined, [...at, 'labels']],
        [d.placement !== undefined, [...at, 'placement']],
        [d.update_config !== undefined, [...at, 'update_config']],
        [d.rollback_config !== undefined, [...at, 'rollback_config']],
        [rp?.delay !== undefined, [...at, 'restart_policy', 'delay']],
        [rp?.window !== undefined, [...at, 'restart_policy', 'window']],
        [reservations?.cpus !== undefined, [...rat, 'reservations', 'cpus']],
        [reservations?.generic_resources !== undefined, [...rat, 'reservations', 'generic_resources']],
      ];
      for (const [set, p] of swarmOnly) if (set) ctx.warn(p, 'applies on the Swarm target only; a single Docker engine does not use it');
    }
  }

  for (const { req, at: rat } of requests) {
    if (isNvidiaGpu(req) && !out.gpu) out.gpu = gpuFromRequest(req, rat, ctx.error);
    else out.device_requests.push(req);
  }
  return out;
}
