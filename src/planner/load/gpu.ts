// GPU forms (`gpu.nvidia = true`, `[gpu.nvidia]` tables, `gpu_enabled`, `gpu.profile`, workload types, and compose's
// `gpus` / `deploy.resources.reservations.devices` requests with the "gpu" capability) → one GpuSpec plus the
// environment the NVIDIA container runtime reads.
import type { DeviceRequest, GpuCapability, GpuSpec } from '../../model/model.js';
import type { RawService } from './boltfile-schema.js';
import { parseByteSize } from '../../model/units.js';
import type { Path } from './schema-walk.js';

export type Report = (path: Path, message: string) => void;

const CAPABILITIES: readonly GpuCapability[] = ['compute', 'utility', 'graphics', 'video', 'display', 'compat32'];

const DEFAULT_CUDA_CACHE_MB = 4096;

/** The three profiles nvcontrol's documentation lists, with its byte values (8 GB and 4 GB are decimal there). */
const PROFILES: Record<'ml-training' | 'gaming' | 'inference', { capabilities: GpuCapability[]; memory: number | null }> = {
  'ml-training': { capabilities: ['compute', 'utility'], memory: 8_000_000_000 },
  gaming: { capabilities: ['compute', 'utility', 'graphics'], memory: null },
  inference: { capabilities: ['compute'], memory: 4_000_000_000 },
};

function builtInProfile(name: string | undefined): keyof typeof PROFILES | null {
  return name !== undefined && Object.hasOwn(PROFILES, name) ? (name as keyof typeof PROFILES) : null;
}

function formatBytes(n: number): string {
  if (n % 1024 ** 3 === 0) return `${n / 1024 ** 3} GiB`;
  if (n % 1e9 === 0) return `${n / 1e9} GB`;
  return `${Math.round(n / 1024 ** 2)} MiB`;
}

function deviceIds(raw: number | string | (number | string)[], path: Path, report: Report): 'all' | string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  const ids: string[] = [];
  for (const [i, v] of list.entries()) {
    const text = String(v).trim().replace(/^gpu:/, '');
    if (text === 'all' || text === '*') return 'all';
    if (!/^[A-Za-z0-9-]+$/.test(text)) {
      report(Array.isArray(raw) ? [...path, i] : path, `invalid GPU device "${v}" (an index like 0, a UUID, or "all")`);
      continue;
    }
    ids.push(text);
  }
  return ids;
}

function workloadOf(raw: RawService): 'gaming' | 'ai-ml' | null {
  if (raw.workload_type === 'gaming') return 'gaming';
  if (raw.workload_type === 'ai-ml' || raw.workload_type === 'ai') return 'ai-ml';
  return null;
}

/** Returns null when the service asks for no GPU. */
export function normalizeGpu(raw: RawService, base: Path, report: Report, warn: Report = () => undefined): GpuSpec | null {
  const g = raw.gpu;
  const nv = g?.nvidia;
  const enabled = nv === true || typeof nv === 'object' || raw.gpu_enabled === true || g?.devices !== undefined || g?.profile !== undefined;
  if (!enabled || nv === false) return null;
  const table = typeof nv === 'object' ? nv : null;
  const gpath: Path = [...base, 'gpu'];

  let devices: 'all' | string[] = 'all';
  if (table?.device !== undefined) devices = deviceIds(table.device, [...gpath, 'nvidia', 'device'], report);
  if (table?.devices !== undefined) devices = deviceIds(table.devices, [...gpath, 'nvidia', 'devices'], report);
  if (g?.devices !== undefined) devices = deviceIds(g.devices, [...gpath, 'devices'], report);

  // Bolt names more profiles than the three it documents: those still ask for a GPU, with the default capabilities.
  const profile = builtInProfile(g?.profile);
  if (g?.profile !== undefined && !profile) {
    warn([...gpath, 'profile'], `GPU profile "${g.profile}" is Bolt's own: not applied by surge (the GPU is requested with the default capabilities; built in: ${Object.keys(PROFILES).join(', ')})`);
  }
  const workload = workloadOf(raw);
  const explicit = table?.capabilities ?? g?.capabilities;
  let caps: GpuCapability[];
  if (explicit) {
    caps = [];
    const at: Path = table?.capabilities ? [...gpath, 'nvidia', 'capabilities'] : [...gpath, 'capabilities'];
    for (const [i, c] of explicit.entries()) {
      const name = c.toLowerCase() === 'gpu' ? null : (c.toLowerCase() as GpuCapability);
      if (name === null) continue;
      if (!CAPABILITIES.includes(name)) report([...at, i], `unknown GPU capability "${c}" (one of ${CAPABILITIES.join(', ')})`);
      else caps.push(name);
    }
  } else if (profile) {
    caps = [...PROFILES[profile].capabilities];
  } else if (workload === 'gaming') {
    caps = ['graphics', 'display', 'utility'];
  } else {
    caps = ['compute', 'utility'];
  }
  // A gaming workload renders to a display whatever profile it starts from; only an explicit list overrides that.
  if (workload === 'gaming' && !explicit) for (const c of ['graphics', 'display'] as const) if (!caps.includes(c)) caps.push(c);
  if (table?.cuda === true && !caps.includes('compute')) caps.push('compute');
  if (table?.cuda === false) caps = caps.filter((c) => c !== 'compute');
  if ((table?.dlss || table?.raytracing || raw.gaming?.dlss_enabled || raw.gaming?.raytracing_enabled) && !caps.includes('graphics')) {
    caps.push('graphics');
  }

  let memory: number | null = profile ? PROFILES[profile].memory : null;
  if (g?.memory_limit !== undefined) {
    const m = parseByteSize(g.memory_limit);
    if (m.ok) memory = m.value;
    else report([...gpath, 'memory_limit'], m.message);
  }
  const power = table?.power_limit ?? g?.power_limit ?? null;
  const isolation = g?.isolation_level ?? g?.isolation ?? null;
  const dlss = table?.dlss ?? raw.gaming?.dlss_enabled ?? null;
  const raytracing = table?.raytracing ?? raw.gaming?.raytracing_enabled ?? null;

  const unenforced: string[] = [];
  if (memory !== null) unenforced.push(`GPU memory limit ${formatBytes(memory)}`);
  if (power !== null) unenforced.push(`GPU power limit ${power} W`);
  if (dlss) unenforced.push('DLSS');
  if (raytracing) unenforced.push('ray tracing');
  if (isolation === 'virtual' && raw.aiml?.mig_enabled !== true) unenforced.push('isolation_level "virtual" (needs MIG)');
  if (raw.gaming?.performance_profile) unenforced.push(`gaming performance profile "${raw.gaming.performance_profile}"`);
  if (raw.gaming?.vrs_enabled) unenforced.push('variable rate shading');
  if (raw.gaming?.wine_proton_enabled) unenforced.push('Wine/Proton optimizations');
  // nvbind sizes a GPU memory pool from this; a plain engine has no such setting, so it is reported, never dropped.
  if (raw.aiml?.memory_pool_size !== undefined) {
    const pool = parseByteSize(raw.aiml.memory_pool_size);
    if (pool.ok) unenforced.push(`GPU memory pool ${Math.round(pool.value / 1024 ** 2)} MiB`);
    else report([...base, 'aiml', 'memory_pool_size'], pool.message);
  }

  return {
    vendor: 'nvidia',
    devices,
    capabilities: caps,
    runtime: g?.runtime ?? null,
    isolation,
    memory_limit_bytes: memory,
    power_limit_watts: power,
    workload,
    profile,
    dlss,
    raytracing,
    unenforced,
  };
}

/**
 * compose's GPU request (`gpus`, or a `deploy.resources.reservations.devices` entry with the "gpu" capability) as the
 * GpuSpec `gpu.nvidia` would give: no capabilities besides "gpu" means compute and utility, as the NVIDIA runtime
 * defaults to.
 */
export function gpuFromRequest(req: DeviceRequest, path: Path, report: Report): GpuSpec {
  const caps: GpuCapability[] = [];
  for (const [i, c] of req.capabilities.entries()) {
    const name = c.toLowerCase();
    if (name === 'gpu') continue;
    if (!CAPABILITIES.includes(name as GpuCapability)) report([...path, 'capabilities', i], `unknown GPU capability "${c}" (gpu, or one of ${CAPABILITIES.join(', ')})`);
    else if (!caps.includes(name as GpuCapability)) caps.push(name as GpuCapability);
  }
  const spec: GpuSpec = {
    vendor: 'nvidia',
    devices: req.device_ids.length ? req.device_ids : 'all',
    capabilities: caps.length ? caps : ['compute', 'utility'],
    runtime: null,
    isolation: null,
    memory_limit_bytes: null,
    power_limit_watts: null,
    workload: null,
    profile: null,
    dlss: null,
    raytracing: null,
    unenforced: [],
  };
  if (!req.device_ids.length && req.count !== null && req.count !== -1) spec.count = req.count;
  if (Object.keys(req.options).length) spec.unenforced.push(`GPU request options (${Object.keys(req.options).join(', ')})`);
  return spec;
}

/** Environment the NVIDIA runtime and the workload read; never overrides what the user set. */
export function gpuEnvironment(spec: GpuSpec, raw: RawService): Record<string, string> {
  const env: Record<string, string> = {};
  // "N GPUs of the engine's choosing": the engine tells the runtime which; naming them here would override that.
  if (spec.count === undefined) env.NVIDIA_VISIBLE_DEVICES = spec.devices === 'all' ? 'all' : spec.devices.join(',');
  env.NVIDIA_DRIVER_CAPABILITIES = spec.capabilities.join(',');
  // The values nvbind's Bolt integration guide sets and its tests expect (4096 MB cache by default).
  if (spec.workload === 'ai-ml') {
    env.CUDA_CACHE_MAXSIZE = String((raw.aiml?.cuda_cache_mb ?? DEFAULT_CUDA_CACHE_MB) * 1024 * 1024);
    if (raw.aiml?.tensor_cores_enabled) env.NVIDIA_TF32_OVERRIDE = '1';
    if (raw.aiml?.mixed_precision_enabled) env.NVBIND_MIXED_PRECISION = '1';
  }
  if (spec.workload === 'gaming') env.NVBIND_GAMING_PROFILE = raw.gaming?.performance_profile ?? 'balanced';
  return env;
}
