// Watch mode: converge, then keep the stack converged until Ctrl-C. Boltfile and .env edits re-load, re-plan
// against live state and apply only the diff; source edits run the service's develop.watch rules; a periodic
// drift check restarts host processes their restart policy asks for and reports services that keep crashing.
import { setMaxListeners } from 'node:events';
import { readdirSync, type Dirent } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { FSWatcher } from 'chokidar';
import { createReporter, type Reporter } from '../cli/render/reporter.js';
import { ConfigError, errorMessage, formatDiagnostic } from '../model/errors.js';
import type { ExecuteResult } from '../engine/executor.js';
import type { LoadedProject } from '../planner/load/load-project.js';
import type { Project, Service, WatchRule } from '../model/model.js';
import type { ObservedContainer } from '../model/observed.js';
import { planLifecycle, plan as makePlan, selectServices, type PlanOptions } from '../planner/plan.js';
import type { Action } from '../model/plan-types.js';
import { interruptSignals, runPlan, withProjectLock, type ApplyArgs } from '../api/apply.js';
import { Drivers, load, observeAll, type GlobalArgs } from '../api/stack.js';
import { converge } from '../api/converge.js';
import { err, out } from '../cli/output.js';
import { Coalescer } from './coalescer.js';
import { isDefaultIgnored, ruleIgnore } from './ignore.js';
import { syncBatch } from './sync-plan.js';

export interface WatchArgs extends GlobalArgs, ApplyArgs {
  services?: string[];
  debounce?: number;
}

export interface WatchLoopOptions {
  args: WatchArgs;
  initial?: LoadedProject | Pick<LoadedProject, 'project' | 'inputs'>;
  drivers?: Drivers;
  skipInitialConverge?: boolean;
  /** `up --attach`: no file watching; supervise and stream logs */
  attachOnly?: boolean;
  /** `up --attach`: when the converge before it began (unix ms), so what the services printed since is shown */
  attachSince?: number;
  pollMs?: number;
}

type Change = { kind: 'file'; path: string } | { kind: 'drift' } | { kind: 'engine-back' };

const FLAP_WINDOW_MS = 60_000;
const FLAP_LIMIT = 3;
const MAX_BACKOFF_MS = 30_000;
/** how long Ctrl-C waits for an apply in flight before leaving it to the engine */
const STOP_GRACE_MS = 3000;

/** What a reconcile did, for `--progress json`: applied plan actions, rules run, services held. */
type ChangeRecord = { op: string; id: string; reason: string } | { op: string; service: string; files?: number };

function describeActions(actions: Action[], done: Set<string>, record: ChangeRecord[]): string {
  const applied = actions.filter((a) => done.has(a.id) && a.kind !== 'image');
  record.push(...actions.filter((a) => done.has(a.id)).map((a) => ({ op: a.op, id: a.id, reason: a.reason })));
  if (!applied.length) return 'no changes';
  const parts = applied.slice(0, 5).map((a) => `${a.op} ${a.id} (${a.reason})`);
  if (applied.length > 5) parts.push(`+${applied.length - 5} more`);
  return parts.join('; ');
}

class WatchSession {
  private project: Project;
  private inputs: string[];
  private drivers: Drivers;
  private readonly known = new Set<string>();
  private readonly hold = new Set<string>();
  private readonly starts = new Map<string, number[]>();
  /** containers the engine itself keeps restarting (its restart policy): when each service was seen restarting */
  private readonly engineRestarts = new Map<string, number[]>();
  private readonly reportedEngineFlapping = new Set<string>();
  /** restarts by policy per replica action id, for `on-failure:N` (reset when config or sources change) */
  private readonly retries = new Map<string, number>();
  private watchers: FSWatcher[] = [];
  private pollTimer: NodeJS.Timeout | null = null;
  private engineDown = false;
  private backoffMs: number;
  private stopped = false;
  private readonly coalescer: Coalescer<Change>;
  private reporter!: Reporter;
  private readonly json: boolean;
  private readonly signals = interruptSignals();
  private logAbort: AbortController | null = null;
  /** filled during one reconcile */
  private changes: ChangeRecord[] = [];

  constructor(
    private readonly options: WatchLoopOptions,
    initial: Pick<LoadedProject, 'project' | 'inputs'>,
  ) {
    this.project = initial.project;
    this.inputs = initial.inputs;
    this.drivers = options.drivers ?? new Drivers(initial.project);
    Object.keys(initial.project.services).forEach((s) => this.known.add(s));
    // Each reconcile holds the project lock, so a `surge up` in another terminal never applies at the same time.
    this.coalescer = new Coalescer(options.args.debounce ?? 300, (batch) => withProjectLock(this.project, this.options.args, () => this.reconcile(batch)));
    this.json = options.args.progress === 'json';
    this.backoffMs = this.pollMs;
  }

  private get pollMs(): number {
    return this.options.pollMs ?? 1000;
  }

  /** One line per reconcile (JSON event `reconcile`); the engine's comings and goings are events of their own. */
  private line(text: string, event: Record<string, unknown>, name: 'reconcile' | 'engine-unreachable' | 'engine-back' = 'reconcile'): void {
    if (this.json) out(JSON.stringify({ time: new Date().toISOString(), event: name, ...event }));
    else err(`[${new Date().toTimeString().slice(0, 8)}] ${text}`);
  }

  private planOptions(extra: PlanOptions = {}): PlanOptions {
    return { services: this.options.args.services ?? [], removeOrphans: [...this.known], hold: [...this.hold], ...extra };
  }

  async run(): Promise<number> {
    // Actions are summarised one line per reconcile; with --progress json every action event is printed too.
    this.reporter = this.json ? await createReporter('json') : this.noticesOnly();
    const stopped = new Promise<void>((resolve) => {
      this.signals.stopScheduling.addEventListener('abort', () => resolve(), { once: true });
    });
    try {
      if (!this.options.skipInitialConverge) {
        await withProjectLock(this.project, this.options.args, () => this.reconcile([{ kind: 'engine-back' }], 'initial converge'));
      }
      if (!this.options.attachOnly) {
        await this.startWatchers();
        await this.initialSync();
      }
    } catch (e) {
      // Open file watchers and our SIGINT handler would keep the process alive, deaf to Ctrl-C.
      await this.stop();
      throw e;
    }
    this.schedulePoll(this.pollMs);
    if (this.options.attachOnly) void this.followLogs(this.options.attachSince ?? Date.now());
    err(
      this.options.attachOnly
        ? `Attached to project ${this.project.name}: supervising and streaming logs. Ctrl-C detaches and leaves the stack running.`
        : `Watching project ${this.project.name} (${this.watchedCount()} paths). Ctrl-C stops watching and leaves the stack running.`,
    );
    await stopped;
    await this.stop();
    return 0;
  }

  /**
   * Text mode: no action events, but the planner's notices (an orphan left alone, a held service, a network that
   * differs) are printed, each once per session: they would otherwise repeat on every save.
   */
  private noticesOnly(): Reporter {
    const printed = new Set<string>();
    return {
      onEvent: () => {},
      note: (message) => {
        if (printed.has(message)) return;
        printed.add(message);
        err(message);
      },
      close: async () => {},
    };
  }

  private watchedCount(): number {
    return this.watchers.reduce((n, w) => n + Object.keys(w.getWatched()).length, 0);
  }

  private async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.coalescer.stop();
    this.logAbort?.abort();
    await Promise.all(this.watchers.map((w) => w.close()));
    // An apply in flight finishes (the executor stopped scheduling on Ctrl-C); give it a few seconds at most.
    const settled = await Promise.race([
      this.coalescer.idle().then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), STOP_GRACE_MS).unref()),
    ]);
    this.signals.dispose();
    await this.reporter.close();
    await this.drivers.close();
    if (!settled) {
      err('An apply was still in flight: the engine finishes the step it was on; run surge again to converge the rest.');
      // Its open requests (a container's stop grace period, a build) would keep the process alive until they end:
      // exit once this output is written. Unreferenced, so a process that ends by itself first is not held up.
      setTimeout(() => process.exit(), 100).unref();
    }
  }

  private scopedServices(): Service[] {
    const names = selectServices(this.project, this.options.args.services, false);
    return names.map((n) => this.project.services[n] as Service);
  }

  private async startWatchers(): Promise<void> {
    await Promise.all(this.watchers.map((w) => w.close()));
    this.watchers = [];
    const { watch } = await import('chokidar');
    const inputs = new Set(this.inputs);
    // Editors replace files by rename: watching the folders and filtering keeps following the Boltfile.
    const dirs = [...new Set(this.inputs.map((f) => dirname(f)))];
    const config = watch(dirs, { depth: 0, ignoreInitial: true, ignored: (p: string) => isDefaultIgnored(p) && !inputs.has(p) });
    config.on('all', (_event: string, path: string) => {
      if (inputs.has(path)) this.coalescer.push({ kind: 'file', path });
    });
    this.watchers.push(config);
    for (const s of this.scopedServices()) {
      for (const rule of this.rulesOf(s)) {
        const root = rule.path;
        const ignoreRule = ruleIgnore(root, rule.ignore, rule.action === 'rebuild' && s.build ? s.build.context : null);
        const w = watch(root, { ignoreInitial: true, ignored: (p: string) => isDefaultIgnored(relative(root, p)) || ignoreRule(p) });
        w.on('all', (_event: string, path: string) => this.coalescer.push({ kind: 'file', path }));
        w.on('error', (e: unknown) => err(`watch: ${errorMessage(e)}`));
        this.watchers.push(w);
      }
    }
    await Promise.all(this.watchers.map((w) => new Promise<void>((r) => w.once('ready', () => r()))));
  }

  /** `initial_sync = true` on a sync rule: what the container has starts equal to the host's files, as in compose. */
  private async initialSync(): Promise<void> {
    for (const s of this.scopedServices()) {
      for (const rule of this.rulesOf(s).filter((r) => r.initial_sync && r.action.startsWith('sync'))) {
        const t0 = Date.now();
        this.changes = [];
        const files = filesUnder(rule.path, ruleIgnore(rule.path, rule.ignore, null));
        const r = await this.applyRule(s, { ...rule, action: 'sync' }, files);
        this.changes.push({ op: 'initial-sync', service: s.name, files: files.length });
        const ms = Date.now() - t0;
        this.line(`initial sync of ${relative(process.cwd(), rule.path) || rule.path} → ${r.text} · ${(ms / 1000).toFixed(2)}s`, {
          trigger: ['initial sync'],
          ok: r.ok,
          description: r.text,
          changes: this.changes,
          durationMs: ms,
        });
      }
    }
  }

  /** The service's rules, plus its build context for a service with `build` and a `rebuild` rule. */
  private rulesOf(s: Service): WatchRule[] {
    const rules = s.develop?.watch ?? [];
    const context = s.build?.context;
    if (!context || !rules.some((r) => r.action === 'rebuild') || rules.some((r) => r.path === context)) return rules;
    return [...rules, { path: context, action: 'rebuild', target: null, ignore: [], initial_sync: false, exec: null }];
  }

  private schedulePoll(ms: number): void {
    if (this.stopped) return;
    this.pollTimer = setTimeout(() => void this.poll(), ms);
    this.pollTimer.unref();
  }

  /** Drift check: the engine still there? a host process to restart per its policy? */
  private async poll(): Promise<void> {
    if (this.stopped) return;
    if (this.coalescer.busy) return this.schedulePoll(this.pollMs);
    try {
      const observed = await observeAll(this.project, this.drivers);
      if (this.engineDown) {
        this.engineDown = false;
        this.backoffMs = this.pollMs;
        this.line('engine is reachable again: re-converging', { ok: true }, 'engine-back');
        this.coalescer.push({ kind: 'engine-back' });
      } else {
        const p = makePlan(this.project, observed, this.planOptions({ restartPolicyOnly: true, removeOrphans: false }));
        const engineRestarting = observed.containers.some((c) => c.driver === 'docker' && c.state === 'restarting');
        if (engineRestarting || p.actions.some((a) => a.kind === 'service')) this.coalescer.push({ kind: 'drift' });
      }
      this.schedulePoll(this.pollMs);
    } catch (e) {
      this.engineUnreachable(e);
      this.schedulePoll(this.backoffMs);
      this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs * 2);
    }
  }

  private engineUnreachable(e: unknown): void {
    this.drivers.reset();
    if (this.engineDown) return;
    this.engineDown = true;
    this.line(`engine unreachable: ${errorMessage(e)}; retrying with backoff, the watcher keeps going`, { ok: false, error: errorMessage(e) }, 'engine-unreachable');
  }

  private async reconcile(batch: Change[], label?: string): Promise<void> {
    const t0 = Date.now();
    this.changes = [];
    const files = [...new Set(batch.flatMap((c) => (c.kind === 'file' ? [c.path] : [])))];
    const configChanged = files.some((f) => this.inputs.includes(f));
    const drift = batch.some((c) => c.kind === 'drift');
    const engineBack = batch.some((c) => c.kind === 'engine-back');
    const full = configChanged || engineBack;
    const trigger = label ? [label] : [...files.map((f) => relative(process.cwd(), f) || f), ...(drift ? ['drift check'] : []), ...(engineBack ? ['engine back'] : [])];
    const what = trigger.length > 3 ? `${trigger.slice(0, 3).join(', ')} and ${trigger.length - 3} more` : trigger.join(', ');
    try {
      if (configChanged) {
        let loaded: LoadedProject;
        try {
          loaded = load(this.options.args);
        } catch (e) {
          if (e instanceof ConfigError) {
            const where = e.diagnostics.map(formatDiagnostic).join('\n  ');
            this.line(`${what} changed → invalid, keeping the last good state:\n  ${where}`, { trigger, ok: false, error: e.message });
            return;
          }
          throw e;
        }
        if (loaded.project.name !== this.project.name) {
          await this.drivers.close();
          this.drivers = new Drivers(loaded.project);
          this.known.clear();
        }
        const oldInputs = this.inputs.join('\n');
        const oldRules = JSON.stringify(Object.values(this.project.services).map((s) => s.develop));
        this.project = loaded.project;
        this.inputs = loaded.inputs;
        this.hold.clear();
        this.engineRestarts.clear();
        this.reportedEngineFlapping.clear();
        this.retries.clear();
        Object.keys(this.project.services).forEach((s) => this.known.add(s));
        if (!this.options.attachOnly && (oldInputs !== this.inputs.join('\n') || oldRules !== JSON.stringify(Object.values(this.project.services).map((s) => s.develop)))) {
          await this.startWatchers();
        }
      }
      let description: string;
      let ok = true;
      if (full) {
        // A Boltfile edit converges what it changed; a stopped service it did not touch stays stopped (a finished
        // one-shot is not run again on every save). After the engine came back, everything is started, as `up` does.
        const options = this.planOptions(configChanged && !engineBack ? { keepStopped: true } : {});
        const r = await converge(this.project, this.drivers, options, this.options.args, this.reporter, this.signals);
        description = describeActions(r.plan.actions, new Set(r.result.done), this.changes);
        ok = r.result.ok;
        if (!ok) description += failures(r.result);
        // Source edits saved together with a Boltfile edit (a `git checkout`, a quick save of both) still run their
        // rules: the converge only recreates what the Boltfile changed, it copies no file.
        const sources = files.filter((f) => !this.inputs.includes(f));
        if (ok && sources.length) {
          const rules = await this.runRules(sources);
          if (rules.parts.length) description += `; ${rules.parts.join('; ')}`;
          ok = rules.ok;
        }
      } else {
        const parts: string[] = [];
        if (files.length) {
          const r = await this.runRules(files);
          parts.push(...r.parts);
          ok &&= r.ok;
        }
        if (drift) {
          const r = await this.superviseDrift();
          if (r) parts.push(r.text);
          ok &&= r?.ok ?? true;
        }
        // A drift check that found nothing to do says nothing (a container the engine keeps restarting is checked
        // every poll, and reported once).
        if (!parts.length && !files.length) return;
        description = parts.length ? parts.join('; ') : 'nothing to do';
      }
      const ms = Date.now() - t0;
      this.line(`${what}${label || !files.length ? '' : ' changed'} → ${description} · ${(ms / 1000).toFixed(2)}s`, {
        trigger,
        ok,
        description,
        changes: this.changes,
        durationMs: ms,
      });
      if (this.options.attachOnly && full) void this.followLogs(t0);
    } catch (e) {
      if (isEngineError(e)) this.engineUnreachable(e);
      else this.line(`${what} → failed: ${errorMessage(e)}`, { trigger, ok: false, error: errorMessage(e) });
    }
  }

  /** develop.watch rules for changed source files: sync, rebuild, restart, sync+restart, sync+exec. */
  private async runRules(files: string[]): Promise<{ parts: string[]; ok: boolean }> {
    const parts: string[] = [];
    let ok = true;
    for (const s of this.scopedServices()) {
      const matched = new Map<WatchRule, string[]>();
      for (const f of files) {
        const rule = this.rulesOf(s).find((r) => f === r.path || f.startsWith(`${r.path}/`));
        if (rule) matched.set(rule, [...(matched.get(rule) ?? []), f]);
      }
      for (const [rule, changed] of matched) {
        this.hold.delete(s.name);
        this.forgetRetries(s.name);
        const r = await this.applyRule(s, rule, changed);
        this.changes.push({ op: rule.action, service: s.name, files: changed.length });
        parts.push(r.text);
        ok &&= r.ok;
      }
    }
    return { parts, ok };
  }

  private async applyRule(s: Service, rule: WatchRule, changed: string[]): Promise<{ text: string; ok: boolean }> {
    const action = rule.action;
    if (action === 'rebuild') {
      if (s.driver !== 'docker') return this.restart(s);
      const r = await converge(this.project, this.drivers, { services: [s.name], noDeps: true, build: true }, this.options.args, this.reporter, this.signals);
      return { text: `rebuild ${s.name}: ${describeActions(r.plan.actions, new Set(r.result.done), this.changes)}${r.result.ok ? '' : failures(r.result)}`, ok: r.result.ok };
    }
    const texts: string[] = [];
    if (action.startsWith('sync')) {
      const driver = await this.drivers.get(s.driver);
      const batch = syncBatch(rule, changed);
      if (driver.sync && (batch.copy.length || batch.remove.length)) {
        const observed = await observeAll(this.project, this.drivers, new Set([s.driver]));
        const targets = observed.containers.filter((c) => c.service === s.name && !c.oneoff && c.state === 'running');
        for (const c of targets) await driver.sync(this.project, c, batch.copy, batch.remove, { signal: this.signals.abort, log: () => {} });
        const what = [
          batch.copy.length ? `synced ${batch.copy.length} file${batch.copy.length === 1 ? '' : 's'}` : '',
          batch.remove.length ? `deleted ${batch.remove.length} file${batch.remove.length === 1 ? '' : 's'}` : '',
        ].filter(Boolean);
        texts.push(`${what.join(' and ')} in ${targets.map((c) => c.name).join(', ') || 'no running container'}`);
      } else if (!driver.sync) {
        texts.push(`${s.name} runs on the host: its files are already live`);
      }
      if (action === 'sync+exec' && rule.exec) {
        const observed = await observeAll(this.project, this.drivers, new Set([s.driver]));
        for (const c of observed.containers.filter((x) => x.service === s.name && !x.oneoff && x.state === 'running')) {
          const code = await driver.exec(this.project, c, rule.exec.command, {
            interactive: false,
            tty: false,
            user: rule.exec.user,
            workdir: rule.exec.working_dir,
            env: {},
            // With --progress json, stdout carries only JSON events.
            ...(this.json ? { stdout: process.stderr } : {}),
          });
          texts.push(`exec in ${c.name} exited ${code}`);
          if (code !== 0) return { text: texts.join(', '), ok: false };
        }
      }
    }
    if (action === 'restart' || action === 'sync+restart') {
      const r = await this.restart(s);
      texts.push(r.text);
      return { text: texts.join(', '), ok: r.ok };
    }
    return { text: texts.join(', ') || `nothing to sync for ${s.name}`, ok: true };
  }

  private async restart(s: Service): Promise<{ text: string; ok: boolean }> {
    const observed = await observeAll(this.project, this.drivers);
    const p = planLifecycle(this.project, observed, 'restart', [s.name]);
    const r = await runPlan(p, this.project, this.drivers, this.options.args, { reporter: this.reporter, signals: this.signals });
    return { text: `restarted ${s.name}${r.ok ? '' : failures(r)}`, ok: r.ok };
  }

  /** Restarts what the restart policy asks for; a service restarted too often is held and reported as flapping. */
  private async superviseDrift(): Promise<{ text: string; ok: boolean } | null> {
    const observed = await observeAll(this.project, this.drivers);
    const engineFlapping = this.engineFlapping(observed.containers);
    if (engineFlapping.length) {
      this.changes.push(...engineFlapping.map((f) => ({ op: 'flapping', service: f })));
      return {
        text: `${engineFlapping.join(', ')} ${engineFlapping.length === 1 ? 'is' : 'are'} flapping: the engine keeps restarting ${engineFlapping.length === 1 ? 'it' : 'them'} (its restart policy, with the engine's own back-off); see \`surge logs ${engineFlapping[0]}\``,
        ok: false,
      };
    }
    const p = makePlan(this.project, observed, this.planOptions({ restartPolicyOnly: true, removeOrphans: false }));
    const starts = p.actions.filter((a) => a.kind === 'service');
    if (!starts.length) return null;
    // on-failure:N restarts a replica at most N times, as Docker does; then it stays down until an edit.
    const exhausted = [...new Set(starts.filter((a) => (this.retries.get(a.id) ?? 0) >= (maxRetries(this.project.services[a.name]) ?? Infinity)).map((a) => a.name))];
    if (exhausted.length) {
      exhausted.forEach((n) => this.hold.add(n));
      const held = makePlan(this.project, observed, this.planOptions({ restartPolicyOnly: true, removeOrphans: false }));
      const r = held.actions.length ? await runPlan(held, this.project, this.drivers, this.options.args, { reporter: this.reporter, signals: this.signals }) : null;
      if (r) for (const id of r.done) this.retries.set(id, (this.retries.get(id) ?? 0) + 1);
      const policies = exhausted.map((n) => `${n} (restart = "${this.project.services[n]?.restart}")`).join(', ');
      return {
        text: `${policies}: gave up after the allowed restarts; not restarting until the config or sources change${r ? `; ${describeActions(held.actions, new Set(r.done), this.changes)}` : ''}`,
        ok: false,
      };
    }
    const now = Date.now();
    const flapping: string[] = [];
    for (const name of new Set(starts.map((a) => a.name))) {
      const recent = (this.starts.get(name) ?? []).filter((t) => now - t < FLAP_WINDOW_MS);
      recent.push(now);
      this.starts.set(name, recent);
      if (recent.length > FLAP_LIMIT) flapping.push(name);
    }
    if (flapping.length) {
      flapping.forEach((f) => this.hold.add(f));
      this.changes.push(...flapping.map((f) => ({ op: 'hold', service: f })));
      const held = makePlan(this.project, observed, this.planOptions({ restartPolicyOnly: true, removeOrphans: false }));
      const r = held.actions.length ? await runPlan(held, this.project, this.drivers, this.options.args, { reporter: this.reporter, signals: this.signals }) : null;
      return {
        text: `${flapping.join(', ')} ${flapping.length === 1 ? 'is' : 'are'} flapping (crashed ${FLAP_LIMIT + 1} times within ${FLAP_WINDOW_MS / 1000} s): not restarting until ${flapping.length === 1 ? 'its' : 'their'} config or sources change${r ? `; ${describeActions(held.actions, new Set(r.done), this.changes)}` : ''}`,
        ok: false,
      };
    }
    const r = await runPlan(p, this.project, this.drivers, this.options.args, { reporter: this.reporter, signals: this.signals });
    for (const id of r.done) this.retries.set(id, (this.retries.get(id) ?? 0) + 1);
    return { text: describeActions(p.actions, new Set(r.done), this.changes) + (r.ok ? '' : failures(r)), ok: r.ok };
  }

  /**
   * Containers are restarted by the engine, not by surge, so surge cannot hold them; it reports, once until the next
   * edit, a service seen restarting again and again.
   */
  private engineFlapping(containers: ObservedContainer[]): string[] {
    const now = Date.now();
    const out: string[] = [];
    for (const name of new Set(containers.filter((c) => c.driver === 'docker' && c.state === 'restarting').map((c) => c.service))) {
      const recent = (this.engineRestarts.get(name) ?? []).filter((t) => now - t < FLAP_WINDOW_MS);
      recent.push(now);
      this.engineRestarts.set(name, recent);
      if (recent.length >= FLAP_LIMIT && !this.reportedEngineFlapping.has(name)) {
        this.reportedEngineFlapping.add(name);
        out.push(name);
      }
    }
    return out.sort();
  }

  private forgetRetries(service: string): void {
    for (const id of [...this.retries.keys()]) if (id.startsWith(`service:${service}#`)) this.retries.delete(id);
  }

  /** `up --attach`: stream logs of the current containers; re-subscribed after each converge. */
  /** Output since `sinceMs` (the converge that started these containers), then follows. */
  private async followLogs(sinceMs: number): Promise<void> {
    this.logAbort?.abort();
    const controller = new AbortController();
    setMaxListeners(0, controller.signal); // one stream per container listens to it
    this.logAbort = controller;
    try {
      const observed = await observeAll(this.project, this.drivers);
      const containers = observed.containers.filter((c) => !c.oneoff);
      const width = Math.max(0, ...containers.map((c) => c.name.length));
      const kinds = [...new Set(containers.map((c) => c.driver))];
      await Promise.all(
        kinds.map(async (k) =>
          (await this.drivers.get(k)).logs(
            this.project,
            containers.filter((c) => c.driver === k),
            { follow: true, tail: null, since: Math.floor(sinceMs / 1000), timestamps: false },
            (l) => out(`${l.container.padEnd(width)} | ${l.text}`),
            controller.signal,
          ),
        ),
      );
    } catch (e) {
      if (!controller.signal.aborted) err(`logs: ${errorMessage(e)}`);
    }
  }
}

/** Every file under `root` (or `root` itself) that watch would react to. */
function filesUnder(root: string, ignored: (path: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    if (isDefaultIgnored(relative(root, p)) || ignored(p)) return;
    let entries: Dirent[];
    try {
      entries = readdirSync(p, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') out.push(p);
      return;
    }
    for (const e of entries) {
      const child = join(p, e.name);
      if (e.isDirectory()) walk(child);
      else if (!isDefaultIgnored(relative(root, child)) && !ignored(child)) out.push(child);
    }
  };
  walk(root);
  return out.sort();
}

/** N of `restart = "on-failure:N"`, null when the policy sets no limit. */
export function maxRetries(s: Service | undefined): number | null {
  const m = /^on-failure:(\d+)$/.exec(s?.restart ?? '');
  return m ? Number(m[1]) : null;
}

function failures(r: ExecuteResult): string {
  return ` — FAILED: ${r.failed.map((f) => `${f.id}: ${f.error}`).join('; ')}${r.skipped.length ? ` (skipped: ${r.skipped.join(', ')})` : ''}`;
}

function isEngineError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOENT' || code === 'ECONNRESET' || code === 'EPIPE') return true;
  return e instanceof Error && (e.name === 'EngineError' || /cannot reach a Docker engine|socket hang up|connect E/.test(e.message));
}


export async function watchLoop(options: WatchLoopOptions): Promise<number> {
  const initial = options.initial ?? load(options.args);
  // `surge watch NOSUCH` is a user error up front, as for `up`, not a failed reconcile followed by a watcher.
  selectServices(initial.project, options.args.services, false);
  return new WatchSession(options, initial).run();
}
