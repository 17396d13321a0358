// What really runs, whatever the records say. A record is trusted only as far as it checks out against the live
// processes (pid, start time, the run id in their environment); processes that carry this folder's markers but no
// trustworthy record are reported too, so `ps` tells the truth, `up` never starts a second copy and `down` stops
// them. Pure: the driver passes what it read from .surge/ and /proc, and a probe for single pids.
import { containerName } from '../../model/naming.js';
import type { ObservedContainer } from '../../model/observed.js';
import type { MarkedProcess } from './markers.js';
import type { ProcessRecord, RecordRead } from './state-store.js';
import { compareText } from '../../model/order.js';

export interface Probe {
  /** the record's wrapper is alive and provably its run's (pid, start time, and SURGE_RUN where /proc shows it) */
  wrapperIsOurs(r: ProcessRecord): boolean;
  /** some live process holds this pid */
  pidInUse(pid: number): boolean;
  exitCode(service: string, replica: number, run: string | null): number | null;
}

/** The live processes of one run of one replica. */
export interface LiveRun {
  run: string;
  service: string;
  replica: number;
  procs: MarkedProcess[];
}

export interface ReconcileInput {
  project: string;
  instance: string;
  reads: RecordRead[];
  /** live processes carrying run markers, of any folder: recorded runs are matched by id, others by instance */
  marked: MarkedProcess[];
  probe: Probe;
}

/** The runs that concern this folder: its own (by instance) and those its records name (wherever they started). */
export function liveRuns(marked: MarkedProcess[], instance: string, recorded: ReadonlySet<string>): LiveRun[] {
  const runs = new Map<string, LiveRun>();
  for (const m of marked) {
    if (m.instance !== instance && !recorded.has(m.run)) continue;
    const r = runs.get(m.run) ?? { run: m.run, service: m.service, replica: m.replica, procs: [] };
    r.procs.push(m);
    runs.set(m.run, r);
  }
  for (const r of runs.values()) r.procs.sort((a, b) => a.pid - b.pid);
  return [...runs.values()].sort((a, b) => compareText(a.service, b.service) || a.replica - b.replica || (a.procs[0]?.pid ?? 0) - (b.procs[0]?.pid ?? 0));
}

export function groupsOf(procs: MarkedProcess[]): number[] {
  return [...new Set(procs.map((p) => p.pgid))].sort((a, b) => a - b);
}

/** "pids 12, 13 in group 11", for messages. */
export function describeProcs(procs: MarkedProcess[]): string {
  const pids = procs.map((p) => p.pid);
  const shown = pids.length > 8 ? `${pids.slice(0, 8).join(', ')}, …` : pids.join(', ');
  const groups = groupsOf(procs);
  return `${pids.length === 1 ? 'pid' : 'pids'} ${shown} in ${groups.length === 1 ? 'group' : 'groups'} ${groups.join(', ')}`;
}

/** `svc-1.json` → the replica it was the record of. */
export function replicaOfRecordFile(file: string): { service: string; replica: number } {
  const name = file.replace(/^.*\//, '').replace(/\.json$/, '');
  const m = /^(.*)-(\d+)$/.exec(name);
  return m ? { service: m[1] as string, replica: Number(m[2]) } : { service: name, replica: 1 };
}

/** What every observed replica shares; the rest depends on what was found. */
type Base = Omit<ObservedContainer, 'id' | 'state' | 'pid' | 'configHash' | 'config' | 'exitCode' | 'problems'>;

export function reconcile(input: ReconcileInput): ObservedContainer[] {
  const { project, probe } = input;
  const valid = input.reads.flatMap((r) => (r.ok ? [r.record] : []));
  const recorded = new Set(valid.flatMap((r) => (r.run ? [r.run] : [])));
  const runs = liveRuns(input.marked, input.instance, recorded);
  const runById = new Map(runs.map((r) => [r.run, r]));
  const key = (service: string, replica: number): string => `${service}\0${replica}`;
  const tracked = new Set(valid.map((r) => key(r.service, r.replica)));
  const untracked = runs.filter((r) => !recorded.has(r.run));
  const out: ObservedContainer[] = [];
  const base = (service: string, replica: number): Base => ({
    driver: 'process',
    name: containerName(project, service, replica),
    service,
    replica,
    health: null,
    imageId: null,
    oneoff: false,
    ports: [],
    image: null,
  });

  for (const r of valid) out.push(observeRecord(r, r.run ? runById.get(r.run) : undefined, probe, base(r.service, r.replica)));

  // A corrupt record says nothing but which replica it was: the live processes of that replica say the rest.
  const corrupt = new Map<string, string>();
  for (const read of input.reads) {
    if (read.ok) continue;
    const { service, replica } = replicaOfRecordFile(read.file);
    const k = key(service, replica);
    if (untracked.some((r) => key(r.service, r.replica) === k)) {
      corrupt.set(k, read.problem);
      continue;
    }
    const name = read.file.replace(/^.*\//, '').replace(/\.json$/, '');
    out.push({ ...base(service, replica), id: `process:${name}:corrupt`, state: 'dead', pid: null, configHash: '', config: null, exitCode: null, problems: [read.problem] });
  }

  for (const r of untracked) {
    const k = key(r.service, r.replica);
    const problems: string[] = [];
    const recordProblem = corrupt.get(k);
    corrupt.delete(k);
    if (recordProblem) problems.push(recordProblem, `its processes still run (${describeProcs(r.procs)}), found by their environment markers: \`up\` replaces them, \`down\` stops them`);
    else if (tracked.has(k)) problems.push(`a second copy of this replica runs without a state record (${describeProcs(r.procs)}), found by its environment markers: \`up\` and \`down\` stop it`);
    else problems.push(`this replica runs without a state record (${describeProcs(r.procs)}), found by its environment markers: \`up\` replaces it, \`down\` stops it`);
    // configHash '' : nothing says which config it runs, so the planner replaces it.
    out.push({ ...base(r.service, r.replica), id: `process:${r.service}-${r.replica}:run:${r.run}`, state: 'running', pid: r.procs[0]?.pid ?? null, configHash: '', config: null, exitCode: null, problems });
  }
  return out;
}

/** A valid record, checked against its run's live processes. */
function observeRecord(r: ProcessRecord, live: LiveRun | undefined, probe: Probe, base: Base): ObservedContainer {
  const common = { ...base, id: `process:${r.service}-${r.replica}:${r.pid}`, configHash: r.configHash, config: r.config, stoppedBySurge: r.stoppedBySurge };
  const procs = live?.procs ?? [];
  if (probe.wrapperIsOurs(r)) return { ...common, state: 'running', pid: r.pid, exitCode: null, problems: [] };
  const code = probe.exitCode(r.service, r.replica, r.run ?? null);
  if (!procs.length) {
    const problems =
      r.stoppedAt === null && probe.pidInUse(r.pid) ? [`pid ${r.pid} now belongs to another process (pid reuse); the record is stale and that process is left alone`] : [];
    return { ...common, state: 'exited', pid: null, exitCode: code, problems };
  }
  const lowest = procs[0]?.pid ?? null;
  if (probe.pidInUse(r.pid)) {
    // The record names a live process that is not its run's: it cannot be trusted, nor can the config it claims.
    return {
      ...common,
      state: 'running',
      pid: lowest,
      configHash: '',
      config: null,
      exitCode: null,
      problems: [
        `the record's pid ${r.pid} belongs to another process, which is left alone; this replica still runs (${describeProcs(procs)}), found by its environment markers: \`up\` replaces it, \`down\` stops it`,
      ],
    };
  }
  if (code !== null) {
    const one = procs.length === 1;
    const n = one ? '1 process' : `${procs.length} processes`;
    const them = one ? 'it' : 'them';
    return {
      ...common,
      state: 'exited',
      pid: null,
      exitCode: code,
      problems: [`${n} of this run ${one ? 'still runs' : 'still run'} after it ended (${describeProcs(procs)}): \`up\` stops ${them} before it starts the replica again, \`down\` stops ${them}`],
    };
  }
  return {
    ...common,
    state: 'running',
    pid: lowest,
    exitCode: null,
    problems: [
      `the wrapper (pid ${r.pid}) that records the exit code was killed; the service still runs (${describeProcs(procs)}) and is adopted as it is, its exit code will not be known; \`down\` stops it`,
    ],
  };
}
