// Host processes, like process-compose or foreman: the embedded default that needs no daemon. Processes outlive
// the CLI (like `docker compose up -d`). Their records under .surge/ say what surge started; the run markers in the
// processes' own environment (markers.ts) say what really runs, so a lost or damaged record, a killed wrapper or a
// killed main process never leads to a second copy or to processes out of surge's reach.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { join } from 'node:path';
import { closeSync, existsSync, statSync } from 'node:fs';
import { CancelledError, EngineError, UserError } from '../../model/errors.js';
import { canonicalServiceConfig, serviceConfigHash } from '../../model/config-hash.js';
import type { DependencyCondition, Project, Service } from '../../model/model.js';
import { emptyObservedState, type HealthState, type ObservedContainer, type ObservedState } from '../../model/observed.js';
import type { Action } from '../../model/plan-types.js';
import type { ActionContext, Driver, ExecOptions, HeldLock, LockRequest, LogLine, LogOptions, ProcessTable, ResourceSample, RunOptions } from '../driver.js';
import { acquireFileLock } from '../file-lock.js';
import { runCheck } from './healthcheck.js';
import { sleep } from '../../model/sleep.js';
import { stopGroups } from './group-stop.js';
import { instanceId, MARKER, newRunId } from './markers.js';
import { canReadMarkers, isSameProcess, procStat, runOf, scanMarked } from './proc-info.js';
import { followLogs } from './process-logs.js';
import { describeProcs, liveRuns, reconcile, type LiveRun } from './reconcile.js';
import { killProcess, statsOfProcesses, topProcess, waitForProcessExit } from './process-ops.js';
import { StateStore, type ProcessRecord } from './state-store.js';

/**
 * Runs the argv as a child and, when it ends on its own, records its exit code atomically in the run's own exit
 * file ($1), private whatever the umask (set in a subshell: the service keeps the umask it was given). Nothing else
 * is there to reap a detached process once the CLI has gone. The TERM/INT/HUP trap is a handler, not an ignore, so
 * the child keeps the default disposition and still stops on the signal.
 */
const WRAPPER =
  'trap ":" TERM INT HUP; exitfile=$1; shift; "$@"; code=$?; (umask 077; rm -f "$exitfile.tmp"; printf "%s" "$code" > "$exitfile.tmp") && mv -f "$exitfile.tmp" "$exitfile"; exit $code';

const POLL_MS = 200;

/** Where a run's `:run:` id points (see reconcile.ts): that copy alone is acted on. */
function runOfContainerId(id: string | null | undefined): string | null {
  return /:run:([0-9a-f]{16})$/.exec(id ?? '')?.[1] ?? null;
}

export interface ProcessDriverOptions {
  /** the environment host processes inherit (the stack's; the CLI passes its own) */
  env: NodeJS.ProcessEnv;
}

export class ProcessDriver implements Driver {
  readonly kind = 'process' as const;
  private readonly markersReadable = canReadMarkers();

  /** @param parentEnv the environment host processes inherit (the stack's) */
  constructor(private readonly parentEnv: NodeJS.ProcessEnv) {}

  private store(project: Project): StateStore {
    return new StateStore(project.workingDir, project.name);
  }

  /** The environment of everything surge runs for a replica; only the replica's own run also gets SURGE_RUN. */
  private env(project: Project, s: Service, replica: number): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...this.parentEnv, ...s.environment, [MARKER.project]: project.name, [MARKER.service]: s.name, [MARKER.replica]: String(replica) };
    // Inherited from a surge-run parent, they would make an exec'd command or a healthcheck look like a run.
    delete env[MARKER.run];
    delete env[MARKER.instance];
    return env;
  }

  private cwd(project: Project, s: Service): string {
    return s.working_dir ?? project.workingDir;
  }

  /** pid + start time, and on Linux the run id in the process's own environment. */
  private wrapperIsOurs(r: ProcessRecord): boolean {
    if (!isSameProcess(r.pid, r.startTime)) return false;
    if (!r.run || !this.markersReadable) return true;
    return runOf(r.pid) === r.run;
  }

  async observe(project: Project): Promise<ObservedState> {
    const state = emptyObservedState();
    const store = this.store(project);
    state.containers = reconcile({
      project: project.name,
      instance: instanceId(project.workingDir, project.name),
      reads: store.readAll(),
      marked: mayHaveRuns(project, store) ? scanMarked() : [],
      probe: {
        wrapperIsOurs: (r) => this.wrapperIsOurs(r),
        pidInUse: (pid) => {
          const st = procStat(pid);
          return st !== null && !st.zombie;
        },
        exitCode: (service, replica, run) => store.readExitCode(service, replica, run),
      },
    });
    return state;
  }

  private read(project: Project, service: string, replica: number): ProcessRecord | null {
    for (const r of this.store(project).readAll()) if (r.ok && r.record.service === service && r.record.replica === replica) return r.record;
    return null;
  }

  async apply(action: Action, project: Project, ctx: ActionContext): Promise<void> {
    if (action.kind !== 'service') throw new Error(`bug: the process driver was given a ${action.kind} action (${action.id})`);
    const replica = action.replica ?? 1;
    const s = project.services[action.name];
    const existing = this.read(project, action.name, replica);
    const timeout = action.timeoutSeconds ?? null;
    // A copy without a record (`:run:` in its id) is stopped alone; anything else acts on the whole replica.
    const only = runOfContainerId(action.containerId);
    if (only && (action.op === 'stop' || action.op === 'remove')) {
      await this.stopReplica(project, action.name, replica, existing, timeout, s, ctx, only);
      return;
    }
    switch (action.op) {
      case 'create':
      case 'recreate':
      case 'start':
        if (!s) throw new Error(`bug: no service ${action.name} in the model`);
        // Whatever of this replica still runs (its recorded run, leftovers, copies without a record) goes first:
        // a replica never runs twice.
        await this.stopReplica(project, s.name, replica, existing, timeout, s, ctx, null);
        await this.spawn(project, s, replica, ctx, action.configSalt ?? null, action.op === 'start' ? existing?.createdAt : undefined);
        return;
      case 'stop':
        await this.stopReplica(project, action.name, replica, existing, timeout, s, ctx, null);
        if (existing) this.store(project).write({ ...existing, stoppedAt: new Date().toISOString(), stoppedBySurge: true });
        return;
      case 'remove':
        await this.stopReplica(project, action.name, replica, existing, timeout, s, ctx, null);
        this.store(project).remove(action.name, replica, true);
        return;
      case 'update':
        return;
    }
  }

  /**
   * A host process has no container that keeps its old config: whatever starts it (create, recreate, `start`,
   * `restart`) runs the Boltfile's current command and environment, so the record carries that config's hash, and
   * the next plan compares against what really runs.
   */
  private async spawn(project: Project, s: Service, replica: number, ctx: ActionContext, salt: string | null, createdAt?: string): Promise<void> {
    const argv = s.command;
    if (!argv || argv.length === 0) throw new UserError(`service ${s.name} runs as a host process but has no command`, 'config');
    const cwd = this.cwd(project, s);
    if (!existsSync(cwd)) throw new UserError(`service ${s.name}: working_dir ${cwd} does not exist`, 'precondition');
    const store = this.store(project);
    store.ensure();
    const aside = store.setAsideCorrupt(s.name, replica);
    if (aside) ctx.log(`kept the unreadable state record as ${aside}`);
    store.clearExitCodes(s.name, replica);
    const run = newRunId();
    const instance = instanceId(project.workingDir, project.name);
    const log = store.openLog(s.name, replica);
    const logOffset = statSync(store.logFile(s.name, replica)).size;
    let pid: number;
    try {
      const child = spawn('/bin/sh', ['-c', WRAPPER, 'surge-process', store.exitFile(s.name, replica, run), ...argv], {
        cwd,
        env: { ...this.env(project, s, replica), [MARKER.instance]: instance, [MARKER.run]: run },
        detached: true,
        stdio: ['ignore', log, log],
      });
      pid = await new Promise<number>((resolve, reject) => {
        child.once('error', (e) => reject(new EngineError(`service ${s.name}: cannot start ${argv[0]}: ${e.message}`)));
        child.once('spawn', () => resolve(child.pid as number));
      });
      child.unref();
    } finally {
      closeSync(log);
    }
    const stat = procStat(pid);
    if (!stat) throw new EngineError(`service ${s.name}: the process exited at once; see \`surge logs ${s.name}\``);
    const now = new Date().toISOString();
    store.write({
      version: 1,
      project: project.name,
      service: s.name,
      replica,
      pid,
      startTime: stat.startTime,
      run,
      instance,
      configHash: serviceConfigHash(s, salt),
      config: canonicalServiceConfig(s, salt),
      command: argv,
      createdAt: createdAt ?? now,
      startedAt: now,
      stoppedAt: null,
      stoppedBySurge: false,
      logOffset,
    });
    ctx.log(`started pid ${pid}`);
  }

  /**
   * Stops everything of a replica that still runs (or only run `only`): the recorded run, leftovers of it, and copies
   * that carry the replica's markers without a record. Says what it stopped that the record did not account for.
   */
  private async stopReplica(
    project: Project,
    service: string,
    replica: number,
    r: ProcessRecord | null,
    timeoutSeconds: number | null,
    s: Service | undefined,
    ctx: ActionContext,
    only: string | null,
  ): Promise<void> {
    const store = this.store(project);
    const recorded = new Set(r?.run ? [r.run] : []);
    const runs: LiveRun[] = liveRuns(scanMarked(), instanceId(project.workingDir, project.name), recorded).filter((x) =>
      only ? x.run === only : x.run === r?.run || (x.service === service && x.replica === replica),
    );
    // Where /proc shows no markers (or the record predates them), the recorded wrapper's group is all surge can find.
    const wrapperAlive = r !== null && !only && this.wrapperIsOurs(r);
    const byWrapper = wrapperAlive && r && (!r.run || !this.markersReadable) ? { pid: r.pid, startTime: r.startTime } : null;
    if (!runs.length && !byWrapper) return;
    const signal = (s?.stop_signal ?? 'SIGTERM') as NodeJS.Signals;
    const graceMs = (timeoutSeconds ?? (s?.stop_grace_period_ms ?? 10_000) / 1000) * 1000;
    if (wrapperAlive) ctx.log(`stopping pid ${r?.pid} (${signal})`);
    for (const x of runs) {
      if (x.run !== r?.run) ctx.log(`stopping a copy of this replica that has no state record (${describeProcs(x.procs)}) (${signal})`);
      else if (!wrapperAlive) ctx.log(`stopping what is left of the recorded run, whose wrapper is gone (${describeProcs(x.procs)}) (${signal})`);
    }
    const result = await stopGroups({ runs: new Set(runs.map((x) => x.run)), legacy: byWrapper }, signal, graceMs, ctx.log);
    // Killed with the group, the wrapper could not record the end: 128 + SIGKILL, as an engine reports it.
    const recordedRunSignalled = wrapperAlive || runs.some((x) => x.run === r?.run);
    if (result.killed && r && recordedRunSignalled && store.readExitCode(r.service, r.replica, r.run ?? null) === null) {
      store.writeExitCode(r.service, r.replica, r.run ?? null, 128 + 9);
    }
  }

  async waitFor(project: Project, service: string, condition: DependencyCondition, ctx: ActionContext): Promise<void> {
    const s = project.services[service];
    if (!s) return;
    let told = false;
    const tell = (what: string): void => {
      if (told) return;
      told = true;
      ctx.log(`waiting for ${service} to ${what}`);
    };
    if (condition === 'service_healthy') {
      const hc = s.healthcheck;
      if (!hc || hc.test[0] === 'NONE') throw new UserError(`service ${service} has no healthcheck, so service_healthy can never be met`, 'wait-failed');
      tell('be healthy');
      const started = Date.now();
      const retries = hc.retries ?? 3;
      const interval = Math.min(hc.interval_ms ?? 30_000, 1000);
      let failures = 0;
      for (;;) {
        if (ctx.signal.aborted) throw new CancelledError();
        const { containers } = await this.observe(project);
        const mine = containers.filter((c) => c.service === service);
        const dead = mine.find((c) => c.state !== 'running');
        if (dead) throw new UserError(`service ${service} exited${dead.exitCode === null ? '' : ` with code ${dead.exitCode}`} before becoming healthy`, 'wait-failed');
        if (!mine.length) throw new UserError(`service ${service} is not running`, 'wait-failed');
        // Each replica is checked in its own environment (SURGE_REPLICA), as `ps` does.
        const results = await Promise.all(mine.map((c) => runCheck(hc, this.cwd(project, s), this.env(project, s, c.replica), ctx.signal)));
        const failed = results.find((r) => !r.ok);
        if (!failed) {
          // The check ran while time passed: a process that ended meanwhile is not healthy, whatever the check said.
          const after = (await this.observe(project)).containers.find((c) => c.service === service && c.state !== 'running');
          if (after) throw new UserError(`service ${service} exited${after.exitCode === null ? '' : ` with code ${after.exitCode}`} before becoming healthy`, 'wait-failed');
          return;
        }
        if (Date.now() - started >= (hc.start_period_ms ?? 0)) failures++;
        if (failures >= retries) throw new UserError(`service ${service} is unhealthy${failed.output ? `: ${failed.output.split('\n').pop()}` : ''}`, 'wait-failed');
        await sleep(interval, ctx.signal);
      }
    }
    tell(condition === 'service_started' ? 'start' : 'complete');
    for (;;) {
      const { containers } = await this.observe(project);
      const mine = containers.filter((c) => c.service === service);
      if (condition === 'service_started' && mine.length) return;
      if (condition === 'service_completed_successfully' && mine.length && mine.every((c) => c.state !== 'running')) {
        const bad = mine.find((c) => c.exitCode !== 0);
        if (!bad) return;
        // The exit file is written a moment after the process ends.
        if (bad.exitCode === null) {
          await sleep(POLL_MS, ctx.signal);
          const again = (await this.observe(project)).containers.find((c) => c.service === service && c.replica === bad.replica);
          if (again?.exitCode === 0) continue;
          throw new UserError(`service ${service} exited${again?.exitCode == null ? '' : ` with code ${again.exitCode}`}`, 'wait-failed');
        }
        throw new UserError(`service ${service} exited with code ${bad.exitCode}`, 'wait-failed');
      }
      await sleep(POLL_MS, ctx.signal);
    }
  }

  async probeHealth(project: Project, container: ObservedContainer): Promise<HealthState | null> {
    const s = project.services[container.service];
    if (!s?.healthcheck || s.healthcheck.test[0] === 'NONE' || container.state !== 'running') return null;
    const hc = s.healthcheck;
    const r = await runCheck({ ...hc, timeout_ms: Math.min(hc.timeout_ms ?? 5000, 5000) }, this.cwd(project, s), this.env(project, s, container.replica));
    if (r.ok) return 'healthy';
    // As the engine counts it: failures in the start period, and fewer than `retries` checks after it, are "starting".
    const startedAt = Date.parse(this.read(project, container.service, container.replica)?.startedAt ?? '');
    const grace = (hc.start_period_ms ?? 0) + (hc.interval_ms ?? 30_000) * (hc.retries ?? 3);
    return Date.now() - startedAt < grace ? 'starting' : 'unhealthy';
  }

  kill(project: Project, container: ObservedContainer, signal: string): Promise<void> {
    return killProcess(project, container, signal);
  }

  async top(project: Project, container: ObservedContainer): Promise<ProcessTable> {
    return topProcess(project, container);
  }

  stats(project: Project, containers: ObservedContainer[], signal: AbortSignal): Promise<ResourceSample[]> {
    return statsOfProcesses(project, containers, signal);
  }

  waitExit(project: Project, container: ObservedContainer, signal: AbortSignal): Promise<number | null> {
    return waitForProcessExit(project, container, signal);
  }

  async logs(project: Project, containers: ObservedContainer[], options: LogOptions, onLine: (l: LogLine) => void, signal: AbortSignal): Promise<void> {
    await followLogs(this.store(project), (service, replica) => this.read(project, service, replica), containers, options, onLine, signal);
  }

  async exec(project: Project, container: ObservedContainer, command: string[], options: ExecOptions): Promise<number> {
    const s = project.services[container.service];
    if (!s) throw new UserError(`service ${container.service} is not in the Boltfile`, 'no-such-service');
    if (options.user !== null) throw new UserError(`service ${s.name} is a host process: -u/--user does not apply (it runs as the user running surge)`);
    return this.foreground(command, options.workdir ?? this.cwd(project, s), { ...this.env(project, s, container.replica), ...options.env }, options.interactive, options.stdout);
  }

  async run(project: Project, service: Service, options: RunOptions): Promise<number> {
    const argv = options.command ?? service.command;
    if (!argv?.length) throw new UserError(`service ${service.name} has no command to run`, 'config');
    if (options.user !== null) throw new UserError(`service ${service.name} is a host process: -u/--user does not apply (it runs as the user running surge)`);
    return this.foreground(argv, options.workdir ?? this.cwd(project, service), { ...this.env(project, service, 0), ...options.env }, true);
  }

  private foreground(argv: string[], cwd: string, env: NodeJS.ProcessEnv, interactive: boolean, stdout?: NodeJS.WritableStream): Promise<number> {
    return new Promise((resolve, reject) => {
      const child = spawn(argv[0] as string, argv.slice(1), { cwd, env, stdio: [interactive ? 'inherit' : 'ignore', stdout ? 'pipe' : 'inherit', 'inherit'] });
      if (stdout) child.stdout?.pipe(stdout, { end: false });
      child.once('error', (e) => reject(new EngineError(`cannot run ${argv[0]}: ${e.message}`)));
      child.once('close', (code, sig) => resolve(code ?? 128 + (sig ? (constants.signals[sig] ?? 15) : 1)));
    });
  }

  /** Host processes' state is the project's folder (.surge/): so is their lock. */
  lock(project: Project, request: LockRequest): Promise<HeldLock> {
    return acquireFileLock(join(project.workingDir, '.surge'), project.name, request);
  }

  async close(): Promise<void> {}
}

/**
 * Whether a run of the project can be live, so that the /proc pass is worth its cost (one environ read per process on
 * the machine: ~8 ms of a no-op `up` of a container project, with its containers' processes). Every spawn makes the
 * project's state folder first and nothing removes it, so a project without one never started a process here. A
 * project that declares a process service is scanned anyway: its runs must be found even if the folder was deleted
 * under them (`git clean -fdx`), or `up` would start a second copy.
 */
function mayHaveRuns(project: Project, store: StateStore): boolean {
  return existsSync(store.dir) || Object.values(project.services).some((s) => s.driver === 'process');
}

/** The CLI passes `{ env: process.env }`; a library caller passes the stack's environment. */
export function createProcessDriver(options: ProcessDriverOptions): ProcessDriver {
  return new ProcessDriver(options.env);
}
