// The compose commands that make sense for host processes: kill (a signal to the command and its children), top and
// stats (from /proc), wait (until the process ends, with its exit code). A process is signalled only while its
// record's pid is still the process surge started (pid and start time), never a reused pid.
import { totalmem } from 'node:os';
import { UserError } from '../../model/errors.js';
import type { Project } from '../../model/model.js';
import type { ObservedContainer } from '../../model/observed.js';
import { gpuSnapshot, gpuUseOf } from '../gpu-usage.js';
import type { ProcessTable, ResourceSample } from '../inspect-types.js';
import { groupAlive, isSameProcess } from './proc-info.js';
import { cpuPercent, groupMembers, processTable, requireProc, sampleGroup } from './proc-table.js';
import { StateStore, type ProcessRecord } from './state-store.js';
import { signalName } from '../../model/signals.js';
import { sleep } from '../../model/sleep.js';

const SAMPLE_MS = 1000;

function store(project: Project): StateStore {
  return new StateStore(project.workingDir, project.name);
}

function record(project: Project, c: ObservedContainer): ProcessRecord | null {
  for (const r of store(project).readAll()) if (r.ok && r.record.service === c.service && r.record.replica === c.replica) return r.record;
  return null;
}

/** The record of a replica whose process surge started is still running; a user error otherwise. */
function running(project: Project, c: ObservedContainer): ProcessRecord {
  const r = record(project, c);
  if (!r || r.stoppedAt !== null || !isSameProcess(r.pid, r.startTime)) throw new UserError(`${c.name} is not running`, 'precondition');
  return r;
}

/**
 * Signals the command and its children, not surge's wrapper (it records the exit code; a signal it does not trap
 * would end it while the command lives on). A kill with SIGKILL or the service's stop signal counts as stopped by
 * hand, as the engine counts `docker kill`: a restart policy does not bring it back.
 */
export async function killProcess(project: Project, c: ObservedContainer, text: string): Promise<void> {
  const signal = signalName(text);
  const r = running(project, c);
  const members = groupMembers(r.pid);
  if (members.length) {
    for (const m of members) {
      try {
        process.kill(m.pid, signal);
      } catch {
        /* ended meanwhile */
      }
    }
  } else {
    // No /proc (or the command has not forked yet): the whole group, as a shell's `kill -SIG -PGID` does.
    process.kill(-r.pid, signal);
  }
  const stopSignal = project.services[c.service]?.stop_signal ?? 'SIGTERM';
  if (signal !== 'SIGKILL' && signal !== signalName(stopSignal)) return;
  // The wrapper writes the exit code once the command has ended; record the stop after it. It ends at once unless the
  // machine is busy: the bound is generous (a loaded machine took longer than 2 s), and costs nothing otherwise.
  const deadline = Date.now() + 10_000;
  while (isSameProcess(r.pid, r.startTime) && Date.now() < deadline) await sleep(25);
  if (!isSameProcess(r.pid, r.startTime) && !groupAlive(r.pid)) store(project).write({ ...r, stoppedAt: new Date().toISOString(), stoppedBySurge: true });
}

export function topProcess(project: Project, c: ObservedContainer): ProcessTable {
  requireProc('top');
  return processTable(running(project, c).pid);
}

/** CPU over one second, resident memory (of the host's total), block I/O and pids of each running replica. */
export async function statsOfProcesses(project: Project, containers: ObservedContainer[], signal: AbortSignal): Promise<ResourceSample[]> {
  requireProc('stats');
  const recs = containers.map((c) => {
    const r = record(project, c);
    return { c, pgid: r && r.stoppedAt === null && isSameProcess(r.pid, r.startTime) ? r.pid : null };
  });
  const before = recs.map((x) => (x.pgid === null ? null : sampleGroup(x.pgid)));
  const t0 = Date.now();
  await sleep(SAMPLE_MS, signal);
  const elapsed = Date.now() - t0;
  const gpuServices = new Set(containers.filter((c) => project.services[c.service]?.gpu).map((c) => c.service));
  const gpu = gpuServices.size ? await gpuSnapshot() : null;
  return recs.map(({ c, pgid }, i) => {
    const b = before[i];
    const a = pgid === null ? null : sampleGroup(pgid);
    const sample: ResourceSample = {
      id: c.id,
      name: c.name,
      service: c.service,
      cpuPercent: a && b ? cpuPercent(b, a, elapsed) : null,
      memoryBytes: a ? a.rss : null,
      memoryLimitBytes: a ? totalmem() : null,
      // A host process shares the host's network: there is no per-process count.
      netRxBytes: null,
      netTxBytes: null,
      blockReadBytes: a?.read ?? null,
      blockWriteBytes: a?.write ?? null,
      pids: a ? a.pids.length : null,
    };
    if (gpu && gpuServices.has(c.service)) sample.gpu = a ? gpuUseOf(gpu, a.pids) : null;
    return sample;
  });
}

/** Resolves with the exit code once the replica's process has ended (null: it ended and nothing recorded how). */
export async function waitForProcessExit(project: Project, c: ObservedContainer, signal: AbortSignal): Promise<number | null> {
  const st = store(project);
  for (;;) {
    const r = record(project, c);
    if (!r) throw new UserError(`${c.name} has no record any more (removed?)`, 'precondition');
    if (r.stoppedAt !== null || !isSameProcess(r.pid, r.startTime)) {
      // The wrapper writes the exit code a moment after the command ends.
      for (let i = 0; i < 20; i++) {
        const code = st.readExitCode(c.service, c.replica, r.run ?? null);
        if (code !== null) return code;
        if (r.stoppedAt !== null && i > 2) break;
        await sleep(50, signal);
      }
      return st.readExitCode(c.service, c.replica, r.run ?? null);
    }
    await sleep(200, signal);
  }
}
