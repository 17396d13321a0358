// GPU use on this host, from `nvidia-smi` when it is on the PATH: per process, the GPU memory it holds and the GPU it
// runs on, and per GPU its utilisation. Drivers attribute processes to replicas (a container's host pids, a host
// process's group). Without nvidia-smi there is nothing to say, and nothing is said.
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { GpuUse } from './inspect-types.js';

export interface GpuSnapshot {
  /** host pid → the GPU memory it holds (bytes) and on which GPUs (uuids) */
  processes: Map<number, { memoryBytes: number; gpus: string[] }>;
  /** GPU uuid → its index and utilisation (percent, null when not reported) */
  gpus: Map<string, { index: string; utilizationPercent: number | null }>;
}

/** The nvidia-smi executable on `path`, or null. */
export function findNvidiaSmi(path: string | undefined = process.env.PATH): string | null {
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, 'nvidia-smi');
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      /* not here */
    }
  }
  return null;
}

function query(bin: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { timeout: 5000, encoding: 'utf8' }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
}

const rows = (csv: string): string[][] =>
  csv
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => l.split(',').map((c) => c.trim()));

const number = (text: string | undefined): number | null => {
  const n = Number(text);
  return text !== undefined && text !== '' && Number.isFinite(n) ? n : null;
};

/** Parses `--query-gpu=index,uuid,utilization.gpu` and `--query-compute-apps=pid,gpu_uuid,used_memory` (csv, noheader, nounits). */
export function parseGpuSnapshot(gpuCsv: string, appsCsv: string): GpuSnapshot {
  const gpus = new Map<string, { index: string; utilizationPercent: number | null }>();
  for (const [index, uuid, util] of rows(gpuCsv)) if (index !== undefined && uuid) gpus.set(uuid, { index, utilizationPercent: number(util) });
  const processes = new Map<number, { memoryBytes: number; gpus: string[] }>();
  for (const [pid, uuid, mem] of rows(appsCsv)) {
    const p = number(pid);
    if (p === null || !uuid) continue;
    // A process on two GPUs is listed once per GPU: it holds memory on both.
    const prev = processes.get(p) ?? { memoryBytes: 0, gpus: [] };
    processes.set(p, { memoryBytes: prev.memoryBytes + (number(mem) ?? 0) * 1024 * 1024, gpus: [...prev.gpus, uuid] });
  }
  return { processes, gpus };
}

/** What nvidia-smi says now; null when it is not installed or does not answer. */
export async function gpuSnapshot(bin: string | null = findNvidiaSmi()): Promise<GpuSnapshot | null> {
  if (!bin) return null;
  try {
    const [gpu, apps] = await Promise.all([
      query(bin, ['--query-gpu=index,uuid,utilization.gpu', '--format=csv,noheader,nounits']),
      query(bin, ['--query-compute-apps=pid,gpu_uuid,used_memory', '--format=csv,noheader,nounits']),
    ]);
    return parseGpuSnapshot(gpu, apps);
  } catch {
    return null;
  }
}

/** The GPU use of a replica whose host processes are `pids`. */
export function gpuUseOf(snapshot: GpuSnapshot, pids: number[]): GpuUse {
  let memoryBytes = 0;
  const used = new Set<string>();
  for (const pid of pids) {
    const p = snapshot.processes.get(pid);
    if (!p) continue;
    memoryBytes += p.memoryBytes;
    p.gpus.forEach((g) => used.add(g));
  }
  const gpus = [...used].map((u) => snapshot.gpus.get(u)).filter((g) => g !== undefined);
  const utils = gpus.map((g) => g.utilizationPercent).filter((u): u is number => u !== null);
  return {
    memoryBytes,
    utilizationPercent: utils.length ? utils.reduce((a, b) => a + b, 0) / utils.length : null,
    devices: gpus.map((g) => g.index).sort(),
  };
}
