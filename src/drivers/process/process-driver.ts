// Host processes, like process-compose or foreman: the embedded default that needs no daemon. Processes outlive
// the CLI (like `docker compose up -d`); their records under .surge/ are the live state.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { CancelledError, EngineError, UserError } from '../../model/errors.js';
import { canonicalServiceConfig, serviceConfigHash } from '../../model/config-hash.js';
import type { DependencyCondition, Project, Service } from '../../model/model.js';
import { emptyObservedState, type HealthState, type ObservedContainer, type ObservedState } from '../../model/observed.js';
import type { Action } from '../../model/plan-types.js';
import type { ActionContext, Driver, ExecOptions, LogLine, LogOptions, RunOptions } from '../driver.js';
import { containerName } from '../../model/naming.js';
import { runCheck } from './healthcheck.js';
import { groupAlive, isSameProcess, procStat } from './proc-info.js';
import { StateStore, type ProcessRecord } from './state-store.js';

/**
 * Runs the argv as a child and, when it ends on its own, records its exit code atomically: nothing else is there to
 * reap a detached process once the CLI has gone. The TERM/INT/HUP trap is a handler, not an ignore, so the child
 * keeps the default disposition and still stops on the signal.
 */
const WRAPPER =
  'trap ":" TERM INT HUP; exitfile=$1; shift; "$@"; code=$?; printf "%s" "$code" > "$exitfile.tmp" && mv -f "$exitfile.tmp" "$exitfile"; exit $code';

const POLL_MS = 200;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new CancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class ProcessDriver implements Driver {
  readonly kind = 'process' as const;

  private store(project: Project): StateStore {
    return new StateStore(project.workingDir, project.name);
  }

  private env(project: Project, s: Service, replica: number): NodeJS.ProcessEnv {
    return { ...process.env, ...s.environment, SURGE_PROJECT: project.name, SURGE_SERVICE: s.name, SURGE_REPLICA: String(replica) };
  }

  private cwd(project: Project, s: Service): string {
    return s.working_dir ?? project.workingDir;
  }

  async observe(project: Project): Promise<ObservedState> {
    const state = emptyObservedState();
    for (const read of this.store(project).readAll()) {
      if (!read.ok) {
        const name = read.file.replace(/^.*\//, '').replace(/\.json$/, '');
        state.containers.push({
          driver: 'process',
          id: `process:${name}:corrupt`,
          name: `${project.name}-${name}`,
          service: name.replace(/-\d+$/, ''),
          replica: Number(/-(\d+)$/.exec(name)?.[1] ?? 1),
          configHash: '',
          config: null,
          state: 'dead',
          health: null,
          exitCode: null,
          imageId: null,
          oneoff: false,
          pid: null,
          ports: [],
          image: null,
          problems: [read.problem],
        });
        continue;
      }
      state.containers.push(this.toObserved(project, read.record));
    }
    return state;
  }

  private toObserved(project: Project, r: ProcessRecord): ObservedContainer {
    const problems: string[] = [];
    let running = false;
    if (r.stoppedAt === null) {
      running = isSameProcess(r.pid, r.startTime);
      const stat = running ? null : procStat(r.pid);
      if (stat && !stat.zombie) problems.push(`pid ${r.pid} now belongs to another process (pid reuse); the record is stale and that process is left alone`);
    }
    return {
      driver: 'process',
      id: `process:${r.service}-${r.replica}:${r.pid}`,
      name: containerName(project.name, r.service, r.replica),
      service: r.service,
      replica: r.replica,
      configHash: r.configHash,
      config: r.config,
      state: running ? 'running' : 'exited',
      health: null,
      exitCode: running ? null : this.store(project).readExitCode(r.service, r.replica),
      imageId: null,
      oneoff: false,
      pid: running ? r.pid : null,
      ports: [],
      image: null,
      problems,
      stoppedBySurge: r.stoppedBySurge,
    };
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
    switch (action.op) {
      case 'create':
        if (!s) throw new Error(`bug: no service ${action.name} in the model`);
        await this.spawn(project, s, replica, ctx, action.configSalt ?? null);
        return;
      case 'recreate':
        if (!s) throw new Error(`bug: no service ${action.name} in the model`);
        if (existing) await this.stopRecord(project, existing, action.timeoutSeconds ?? null, s, ctx);
        await this.spawn(project, s, replica, ctx, action.configSalt ?? null);
        return;
      case 'start':
        if (!s) throw new Error(`bug: no service ${action.name} in the model`);
        await this.spawn(project, s, replica, ctx, action.configSalt ?? null, existing?.createdAt);
        return;
      case 'stop':
        if (existing) await this.stopRecord(project, existing, action.timeoutSeconds ?? null, s, ctx);
        return;
      case 'remove':
        if (existing) await this.stopRecord(project, existing, action.timeoutSeconds ?? null, s, ctx);
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
    if (aside) ctx.log(`kept the unreadable state record as ${aside}; a process it described may still run`);
    store.clearExitCode(s.name, replica);
    const log = openSync(store.logFile(s.name, replica), 'a', 0o600);
    const logOffset = statSync(store.logFile(s.name, replica)).size;
    let pid: number;
    try {
      const child = spawn('/bin/sh', ['-c', WRAPPER, 'surge-process', store.exitFile(s.name, replica), ...argv], {
        cwd,
        env: this.env(project, s, replica),
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

  private async stopRecord(project: Project, r: ProcessRecord, timeoutSeconds: number | null, s: Service | undefined, ctx: ActionContext): Promise<void> {
    const store = this.store(project);
    // Only a pid that is still the process surge started is signalled; a reused pid belongs to someone else.
    if (r.stoppedAt === null && isSameProcess(r.pid, r.startTime)) {
      const signal = (s?.stop_signal ?? 'SIGTERM') as NodeJS.Signals;
      const graceMs = (timeoutSeconds ?? (s?.stop_grace_period_ms ?? 10_000) / 1000) * 1000;
      ctx.log(`stopping pid ${r.pid} (${signal})`);
      try {
        process.kill(-r.pid, signal);
      } catch {
        /* already gone */
      }
      const deadline = Date.now() + graceMs;
      while (groupAlive(r.pid) && Date.now() < deadline) await sleep(50);
      if (groupAlive(r.pid)) {
        ctx.log(`pid ${r.pid} still running after ${graceMs / 1000} s: SIGKILL`);
        try {
          process.kill(-r.pid, 'SIGKILL');
        } catch {
          /* gone meanwhile */
        }
        while (groupAlive(r.pid)) await sleep(20);
        // The wrapper died with the group and could not record the end: 128 + SIGKILL, as an engine reports it.
        if (store.readExitCode(r.service, r.replica) === null) store.writeExitCode(r.service, r.replica, 128 + 9);
      }
    }
    store.write({ ...r, stoppedAt: new Date().toISOString(), stoppedBySurge: true });
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
    const r = await runCheck({ ...s.healthcheck, timeout_ms: Math.min(s.healthcheck.timeout_ms ?? 5000, 5000) }, this.cwd(project, s), this.env(project, s, container.replica));
    return r.ok ? 'healthy' : 'unhealthy';
  }

  /**
   * Host process logs are one file per replica holding stdout and stderr together, as the process wrote them.
   * Lines carry no timestamps, so `timestamps` does not apply and `since` works per run: a run that started at or
   * after that time is shown from its first line, an older one only from now on.
   */
  async logs(project: Project, containers: ObservedContainer[], options: LogOptions, onLine: (l: LogLine) => void, signal: AbortSignal): Promise<void> {
    const store = this.store(project);
    await Promise.all(
      containers.map(async (c) => {
        const file = store.logFile(c.service, c.replica);
        let offset = 0;
        if (options.since !== null) {
          const r = this.read(project, c.service, c.replica);
          const fromRun = r?.logOffset !== undefined && Date.parse(r.startedAt) >= options.since * 1000;
          try {
            offset = fromRun ? (r?.logOffset ?? 0) : statSync(file).size;
          } catch {
            offset = 0;
          }
        }
        let carry = '';
        const emit = (text: string): void => onLine({ container: c.name, service: c.service, stream: 'stdout', text, timestamp: null });
        const readNew = (first: boolean): void => {
          let size = 0;
          try {
            size = statSync(file).size;
          } catch {
            return;
          }
          if (size < offset) offset = 0;
          if (size === offset) return;
          const fd = openSync(file, 'r');
          try {
            const buf = Buffer.alloc(size - offset);
            readSync(fd, buf, 0, buf.length, offset);
            offset = size;
            const lines = (carry + buf.toString('utf8')).split('\n');
            carry = lines.pop() ?? '';
            const shown = first && options.tail !== null ? lines.slice(Math.max(0, lines.length - options.tail)) : lines;
            shown.forEach(emit);
          } finally {
            closeSync(fd);
          }
        };
        readNew(true);
        if (!options.follow) {
          if (carry) emit(carry);
          return;
        }
        while (!signal.aborted) {
          await sleep(POLL_MS, signal).catch(() => undefined);
          readNew(false);
        }
      }),
    );
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

  async close(): Promise<void> {}
}

export function createProcessDriver(): ProcessDriver {
  return new ProcessDriver();
}
