// One watch session: converge, then keep the stack converged until the signal aborts. Boltfile and .env edits
// re-load, re-plan against live state and apply only the diff; source edits run the services' develop.watch rules
// (rules.ts); a periodic drift check restarts host processes their restart policy asks for and reports services that
// keep crashing (supervisor.ts). Every reconcile holds the project lock, so a `surge up` elsewhere never interleaves.
import { relative } from 'node:path';
import type { FSWatcher } from 'chokidar';
import type { RunControl } from '../api/control.js';
import { convergeLocked } from '../api/converge.js';
import { reloadProject } from '../api/load.js';
import { withProjectLock } from '../api/lock.js';
import type { Stack } from '../api/stack.js';
import { asSurgeError, ConfigError, errorMessage, UserError } from '../model/errors.js';
import type { Service } from '../model/model.js';
import { selectServices, type PlanOptions } from '../planner/plan.js';
import { Coalescer } from './coalescer.js';
import type { WatchChange, WatchEvent } from './events.js';
import { describeActions, failures } from './describe.js';
import { startWatchers } from './file-watchers.js';
import { Rules } from './rules.js';
import { Supervisor } from './supervisor.js';
import type { WatchOptions } from './options.js';

export type Change = { kind: 'file'; path: string } | { kind: 'drift' } | { kind: 'engine-back' };

const MAX_BACKOFF_MS = 30_000;
/** how long stopping waits for an apply in flight before leaving it to the engine */
const STOP_GRACE_MS = 3000;

export class WatchSession {
  private inputs: string[];
  private readonly known = new Set<string>();
  private watchers: FSWatcher[] = [];
  private pollTimer: NodeJS.Timeout | null = null;
  private engineDown = false;
  private backoffMs: number;
  private stopped = false;
  private readonly coalescer: Coalescer<Change>;
  private readonly control: RunControl;
  private readonly supervisor: Supervisor;
  private readonly rules: Rules;
  private logAbort: AbortController | null = null;
  /** filled during one reconcile */
  private changes: WatchChange[] = [];

  constructor(
    private readonly stack: Stack,
    private readonly options: WatchOptions,
    private readonly emit: (e: WatchEvent) => void,
  ) {
    this.inputs = stack.inputs;
    Object.keys(stack.project.services).forEach((s) => this.known.add(s));
    this.control = {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.abortInFlight ? { abortInFlight: options.abortInFlight } : {}),
      ...(options.parallel !== undefined ? { parallel: options.parallel } : {}),
      ...(options.lockTimeoutMs !== undefined ? { lockTimeoutMs: options.lockTimeoutMs } : {}),
      onEvent: (e) => {
        if (e.type === 'notice') this.emit({ type: 'notice', message: e.message });
        else if (e.type !== 'lock-wait' && e.type !== 'wait-start' && e.type !== 'wait-ready' && e.type !== 'converged') this.emit({ type: 'action', event: e });
      },
    };
    this.coalescer = new Coalescer(options.debounceMs ?? 300, (batch) => withProjectLock(this.stack, this.control, 'watch', () => this.reconcile(batch)));
    this.backoffMs = this.pollMs;
    this.supervisor = new Supervisor(stack, this.control, (o) => this.planOptions(o), (c) => this.changes.push(...c));
    this.rules = new Rules(stack, this.control, options, (c) => this.changes.push(...c), (e) => this.emit(e));
  }

  private get pollMs(): number {
    return this.options.pollMs ?? 1000;
  }

  private planOptions(extra: PlanOptions = {}): PlanOptions {
    return { services: this.options.services ?? [], removeOrphans: [...this.known], hold: this.supervisor.held(), ...extra };
  }

  async run(): Promise<void> {
    const signal = this.options.signal ?? new AbortController().signal;
    const stopped = new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
    try {
      if (!this.options.skipInitialConverge) {
        await withProjectLock(this.stack, this.control, 'watch', () => this.reconcile([{ kind: 'engine-back' }], 'initial converge'));
      }
      if (!this.options.attachOnly) {
        await this.restartWatchers();
        await this.rules.initialSync(this.scopedServices(), (t0, text, ok, files, rule) => {
          this.reconcileEvent(['initial sync'], false, ok, text, [{ op: 'initial-sync', service: rule, files }], Date.now() - t0);
        });
      }
    } catch (e) {
      // Open file watchers would keep the process alive.
      await this.stop();
      throw e;
    }
    this.schedulePoll(this.pollMs);
    if (this.options.attachOnly) void this.followLogs(this.options.attachSinceMs ?? Date.now());
    this.emit({ type: 'ready', project: this.stack.project.name, watchedPaths: this.watchedCount(), attachOnly: this.options.attachOnly ?? false });
    await stopped;
    await this.stop();
  }

  private watchedCount(): number {
    return this.watchers.reduce((n, w) => n + Object.keys(w.getWatched()).length, 0);
  }

  private async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.coalescer.stop();
    this.logAbort?.abort();
    await Promise.all(this.watchers.map((w) => w.close()));
    // An apply in flight finishes (the executor stopped scheduling); give it a few seconds at most.
    const settled = await Promise.race([
      this.coalescer.idle().then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), this.options.stopGraceMs ?? STOP_GRACE_MS).unref()),
    ]);
    this.emit({ type: 'stopped', applyInFlight: !settled });
  }

  private scopedServices(): Service[] {
    return selectServices(this.stack.project, this.options.services, false).map((n) => this.stack.project.services[n] as Service);
  }

  private async restartWatchers(): Promise<void> {
    await Promise.all(this.watchers.map((w) => w.close()));
    this.watchers = await startWatchers(
      this.inputs,
      this.scopedServices().map((s) => ({ service: s, rules: this.rules.rulesOf(s) })),
      (path) => this.coalescer.push({ kind: 'file', path }),
      (message) => this.emit({ type: 'warning', message }),
    );
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
      const observed = await this.stack.observe();
      if (this.engineDown) {
        this.engineDown = false;
        this.backoffMs = this.pollMs;
        this.emit({ type: 'engine-back' });
        this.coalescer.push({ kind: 'engine-back' });
      } else if (this.supervisor.needsAttention(observed)) {
        this.coalescer.push({ kind: 'drift' });
      }
      this.schedulePoll(this.pollMs);
    } catch (e) {
      this.engineUnreachable(e);
      this.schedulePoll(this.backoffMs);
      this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs * 2);
    }
  }

  private engineUnreachable(e: unknown): void {
    this.stack.reset();
    if (this.engineDown) return;
    this.engineDown = true;
    this.emit({ type: 'engine-unreachable', error: asSurgeError(e) });
  }

  private reconcileEvent(trigger: string[], filesChanged: boolean, ok: boolean, description: string, changes: WatchChange[], durationMs: number): void {
    this.emit({ type: 'reconcile', trigger, filesChanged, ok, description, changes, durationMs });
  }

  /** Re-loads the project after a Boltfile edit; false when it does not load (the last good state is kept). */
  private reload(trigger: string[]): boolean {
    const source = this.stack.source;
    if (!source) return true;
    let loaded;
    try {
      loaded = reloadProject(source);
    } catch (e) {
      if (e instanceof ConfigError) {
        this.emit({ type: 'invalid-config', trigger, diagnostics: e.diagnostics, error: e });
        return false;
      }
      throw e;
    }
    if (loaded.project.name !== this.stack.project.name) this.known.clear();
    const oldInputs = this.inputs.join('\n');
    const oldRules = JSON.stringify(Object.values(this.stack.project.services).map((s) => s.develop));
    this.stack.setProject(loaded.project, loaded.inputs);
    this.inputs = loaded.inputs;
    this.supervisor.forgetAll();
    Object.keys(loaded.project.services).forEach((s) => this.known.add(s));
    this.rulesChanged = oldInputs !== this.inputs.join('\n') || oldRules !== JSON.stringify(Object.values(loaded.project.services).map((s) => s.develop));
    return true;
  }

  private rulesChanged = false;

  private async reconcile(batch: Change[], label?: string): Promise<void> {
    const t0 = Date.now();
    this.changes = [];
    const files = [...new Set(batch.flatMap((c) => (c.kind === 'file' ? [c.path] : [])))];
    const configChanged = files.some((f) => this.inputs.includes(f));
    const drift = batch.some((c) => c.kind === 'drift');
    const engineBack = batch.some((c) => c.kind === 'engine-back');
    const full = configChanged || engineBack;
    const trigger = label ? [label] : [...files.map((f) => relative(process.cwd(), f) || f), ...(drift ? ['drift check'] : []), ...(engineBack ? ['engine back'] : [])];
    try {
      if (configChanged) {
        this.rulesChanged = false;
        if (!this.reload(trigger)) return;
        if (!this.options.attachOnly && this.rulesChanged) await this.restartWatchers();
      }
      let description: string;
      let ok = true;
      if (full) {
        // A Boltfile edit converges what it changed; a stopped service it did not touch stays stopped (a finished
        // one-shot is not run again on every save). After the engine came back, everything is started, as `up` does.
        const options = this.planOptions(configChanged && !engineBack ? { keepStopped: true } : {});
        const r = await convergeLocked(this.stack, options, this.control);
        description = describeActions(r.plan.actions, new Set(r.result.done.map((a) => a.id)), this.changes);
        ok = r.result.ok;
        if (!ok) description += failures(r.result);
        // Source edits saved together with a Boltfile edit (a `git checkout`, a quick save of both) still run their
        // rules: the converge only recreates what the Boltfile changed, it copies no file.
        const sources = files.filter((f) => !this.inputs.includes(f));
        if (ok && sources.length) {
          const rules = await this.rules.run(this.scopedServices(), sources, (name) => this.supervisor.forget(name));
          if (rules.parts.length) description += `; ${rules.parts.join('; ')}`;
          ok = rules.ok;
        }
      } else {
        const parts: string[] = [];
        if (files.length) {
          const r = await this.rules.run(this.scopedServices(), files, (name) => this.supervisor.forget(name));
          parts.push(...r.parts);
          ok &&= r.ok;
        }
        if (drift) {
          const r = await this.supervisor.supervise();
          if (r) {
            parts.push(r.text);
            if (r.flapping) this.emit({ type: 'flapping', services: r.flapping.services, by: r.flapping.by });
          }
          ok &&= r?.ok ?? true;
        }
        // A drift check that found nothing to do says nothing (a container the engine keeps restarting is checked
        // every poll, and reported once).
        if (!parts.length && !files.length) return;
        description = parts.length ? parts.join('; ') : 'nothing to do';
      }
      this.reconcileEvent(trigger, !label && files.length > 0, ok, description, this.changes, Date.now() - t0);
      if (this.options.attachOnly && full) void this.followLogs(t0);
    } catch (e) {
      if (isEngineError(e)) this.engineUnreachable(e);
      else {
        const error = asSurgeError(e);
        this.emit({ type: 'reconcile', trigger, filesChanged: !label && files.length > 0, ok: false, description: `failed: ${error.message}`, changes: this.changes, durationMs: Date.now() - t0, error });
      }
    }
  }

  /** `attachOnly`: what the services printed since `sinceMs` (the converge that started them), then follows. */
  private async followLogs(sinceMs: number): Promise<void> {
    this.logAbort?.abort();
    const controller = new AbortController();
    this.logAbort = controller;
    try {
      const { logs } = await import('../api/status.js');
      await logs(this.stack, { follow: true, since: Math.floor(sinceMs / 1000), signal: controller.signal }, (line) => this.emit({ type: 'log', line }));
    } catch (e) {
      // Nothing to follow (every container gone) is not a problem worth a line; a broken stream is.
      const nothing = e instanceof UserError && e.code === 'precondition';
      if (!controller.signal.aborted && !nothing) this.emit({ type: 'warning', message: `logs: ${errorMessage(e)}` });
    }
  }
}

function isEngineError(e: unknown): boolean {
  const error = asSurgeError(e);
  if (error.code === 'engine-unreachable') return true;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOENT' || code === 'ECONNRESET' || code === 'EPIPE') return true;
  return e instanceof Error && /cannot reach a Docker engine|socket hang up|connect E/.test(e.message);
}
