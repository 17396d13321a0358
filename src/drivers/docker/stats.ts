// `surge stats` on a Docker engine: one stats sample per running container (the engine measures CPU between its
// last two collections, a second apart; the answer takes one to two seconds), figures computed as the docker CLI does; GPU use from the host's nvidia-smi for containers of GPU services when
// the engine is local (a container's host pids come from `top`).
import type { Project } from '../../model/model.js';
import type { ObservedContainer } from '../../model/observed.js';
import { gpuSnapshot, gpuUseOf } from '../gpu-usage.js';
import type { ResourceSample } from '../inspect-types.js';
import type { EngineApi } from './engine-api.js';

interface CpuStats {
  cpu_usage?: { total_usage?: number; percpu_usage?: number[] | null };
  system_cpu_usage?: number;
  online_cpus?: number;
}

/** The parts of the engine's stats answer that surge reads. */
export interface EngineStats {
  cpu_stats?: CpuStats;
  precpu_stats?: CpuStats;
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>;
  blkio_stats?: { io_service_bytes_recursive?: { op: string; value: number }[] | null };
  pids_stats?: { current?: number };
}

export function cpuPercentOf(s: EngineStats): number {
  const cpu = s.cpu_stats ?? {};
  const pre = s.precpu_stats ?? {};
  const cpuDelta = (cpu.cpu_usage?.total_usage ?? 0) - (pre.cpu_usage?.total_usage ?? 0);
  const systemDelta = (cpu.system_cpu_usage ?? 0) - (pre.system_cpu_usage ?? 0);
  const cpus = cpu.online_cpus || cpu.cpu_usage?.percpu_usage?.length || 1;
  return systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * cpus * 100 : 0;
}

/** Usage without the page cache the kernel can drop (cgroup v1: total_inactive_file, v2: inactive_file). */
export function memoryOf(s: EngineStats): number {
  const m = s.memory_stats ?? {};
  const usage = m.usage ?? 0;
  const inactive = m.stats?.total_inactive_file ?? m.stats?.inactive_file;
  return inactive !== undefined && inactive < usage ? usage - inactive : usage;
}

export function sampleFrom(c: ObservedContainer, s: EngineStats): ResourceSample {
  const nets = Object.values(s.networks ?? {});
  const io = s.blkio_stats?.io_service_bytes_recursive ?? [];
  const sum = (op: string): number => io.filter((e) => e.op.toLowerCase() === op).reduce((n, e) => n + e.value, 0);
  return {
    id: c.id,
    name: c.name,
    service: c.service,
    cpuPercent: cpuPercentOf(s),
    memoryBytes: memoryOf(s),
    memoryLimitBytes: s.memory_stats?.limit ?? null,
    netRxBytes: nets.reduce((n, x) => n + (x.rx_bytes ?? 0), 0),
    netTxBytes: nets.reduce((n, x) => n + (x.tx_bytes ?? 0), 0),
    blockReadBytes: sum('read'),
    blockWriteBytes: sum('write'),
    pids: s.pids_stats?.current ?? 0,
  };
}

function idle(c: ObservedContainer): ResourceSample {
  return { id: c.id, name: c.name, service: c.service, cpuPercent: null, memoryBytes: null, memoryLimitBytes: null, netRxBytes: null, netTxBytes: null, blockReadBytes: null, blockWriteBytes: null, pids: null };
}

async function hostPids(api: EngineApi, c: ObservedContainer): Promise<number[]> {
  const top = await api.get<{ Titles: string[]; Processes: string[][] }>(`/containers/${c.id}/top`);
  const at = top.Titles.indexOf('PID');
  return at < 0 ? [] : top.Processes.map((p) => Number(p[at])).filter((n) => Number.isFinite(n));
}

export async function statsOfContainers(api: EngineApi, project: Project, containers: ObservedContainer[], signal: AbortSignal, localEngine: boolean): Promise<ResourceSample[]> {
  const samples = await Promise.all(
    containers.map(async (c) => {
      if (c.state !== 'running') return idle(c);
      try {
        return sampleFrom(c, await api.get<EngineStats>(`/containers/${c.id}/stats`, { query: { stream: false }, signal }));
      } catch (err) {
        // Stopped or removed between the list and the sample.
        if ((err as { statusCode?: number }).statusCode === 404 || (err as { statusCode?: number }).statusCode === 409) return idle(c);
        throw err;
      }
    }),
  );
  const gpuContainers = containers.filter((c) => project.services[c.service]?.gpu);
  // nvidia-smi sees this host's processes: it says nothing about containers on an engine elsewhere.
  const gpu = gpuContainers.length && localEngine ? await gpuSnapshot() : null;
  if (gpu) {
    await Promise.all(
      samples.map(async (s, i) => {
        const c = containers[i] as ObservedContainer;
        if (!project.services[c.service]?.gpu) return;
        s.gpu = c.state === 'running' ? gpuUseOf(gpu, await hostPids(api, c).catch(() => [])) : null;
      }),
    );
  }
  return samples;
}
