// develop.watch rules for changed source files: sync (copy into running containers), rebuild, restart,
// sync+restart, sync+exec. Host processes run from the host's files, so a sync is already done for them.
import { readdirSync, type Dirent } from 'node:fs';
import { join, relative } from 'node:path';
import type { RunControl } from '../api/control.js';
import { convergeLocked } from '../api/converge.js';
import { execute } from '../api/execute.js';
import type { Stack } from '../api/stack.js';
import type { Service, WatchRule } from '../model/model.js';
import { planLifecycle } from '../planner/plan.js';
import { describeActions, failures } from './describe.js';
import type { WatchChange, WatchEvent } from './events.js';
import { isDefaultIgnored, ruleIgnore } from './ignore.js';
import { syncBatch } from './sync-plan.js';
import type { WatchOptions } from './options.js';

export interface RuleOutcome {
  text: string;
  ok: boolean;
}

export class Rules {
  constructor(
    private readonly stack: Stack,
    private readonly control: RunControl,
    private readonly options: WatchOptions,
    private readonly record: (changes: WatchChange[]) => void,
    private readonly emit: (e: WatchEvent) => void,
  ) {}

  /** The service's rules, plus its build context for a service with `build` and a `rebuild` rule. */
  rulesOf(s: Service): WatchRule[] {
    const rules = s.develop?.watch ?? [];
    const context = s.build?.context;
    if (!context || !rules.some((r) => r.action === 'rebuild') || rules.some((r) => r.path === context)) return rules;
    return [...rules, { path: context, action: 'rebuild', target: null, ignore: [], initial_sync: false, exec: null }];
  }

  /** The rules matching `files`, run per service; `forget` clears a service's crash history (its sources changed). */
  async run(services: Service[], files: string[], forget: (service: string) => void): Promise<{ parts: string[]; ok: boolean }> {
    const parts: string[] = [];
    let ok = true;
    for (const s of services) {
      const matched = new Map<WatchRule, string[]>();
      for (const f of files) {
        const rule = this.rulesOf(s).find((r) => f === r.path || f.startsWith(`${r.path}/`));
        if (rule) matched.set(rule, [...(matched.get(rule) ?? []), f]);
      }
      for (const [rule, changed] of matched) {
        forget(s.name);
        const r = await this.apply(s, rule, changed);
        this.record([{ op: rule.action, service: s.name, files: changed.length }]);
        parts.push(r.text);
        ok &&= r.ok;
      }
    }
    return { parts, ok };
  }

  /** `initial_sync = true` on a sync rule: what the container has starts equal to the host's files, as in compose. */
  async initialSync(services: Service[], report: (t0: number, text: string, ok: boolean, files: number, service: string) => void): Promise<void> {
    for (const s of services) {
      for (const rule of this.rulesOf(s).filter((r) => r.initial_sync && r.action.startsWith('sync'))) {
        const t0 = Date.now();
        const files = filesUnder(rule.path, ruleIgnore(rule.path, rule.ignore, null));
        const r = await this.apply(s, { ...rule, action: 'sync' }, files);
        report(t0, r.text, r.ok, files.length, s.name);
      }
    }
  }

  private async apply(s: Service, rule: WatchRule, changed: string[]): Promise<RuleOutcome> {
    const action = rule.action;
    if (action === 'rebuild') {
      if (s.driver === 'process') return this.restart(s);
      const r = await convergeLocked(this.stack, { services: [s.name], noDeps: true, build: true }, this.control);
      const changes: WatchChange[] = [];
      const text = `rebuild ${s.name}: ${describeActions(r.plan.actions, new Set(r.result.done.map((a) => a.id)), changes)}${r.result.ok ? '' : failures(r.result)}`;
      this.record(changes);
      return { text, ok: r.result.ok };
    }
    const texts: string[] = [];
    if (action.startsWith('sync')) {
      const synced = await this.sync(s, rule, changed);
      if (synced) {
        texts.push(synced.text);
        if (!synced.ok) return { text: texts.join(', '), ok: false };
      }
      if (action === 'sync+exec' && rule.exec) {
        const driver = await this.stack.driver(s.driver);
        const observed = await this.stack.observe([s.driver]);
        for (const c of observed.containers.filter((x) => x.service === s.name && !x.oneoff && x.state === 'running')) {
          const code = await driver.exec(this.stack.project, c, rule.exec.command, {
            interactive: false,
            tty: false,
            user: rule.exec.user,
            workdir: rule.exec.working_dir,
            env: {},
            ...(this.options.execOutput ? { stdout: this.options.execOutput } : {}),
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

  /** Copies the changed files into every running container of `s`; no running container to copy into is a failure. */
  private async sync(s: Service, rule: WatchRule, changed: string[]): Promise<RuleOutcome | null> {
    const driver = await this.stack.driver(s.driver);
    if (!driver.sync) return { text: `${s.name} runs on the host: its files are already live`, ok: true };
    const batch = syncBatch(rule, changed);
    if (!batch.copy.length && !batch.remove.length) return null;
    const observed = await this.stack.observe([s.driver]);
    const targets = observed.containers.filter((c) => c.service === s.name && !c.oneoff && c.state === 'running');
    if (!targets.length) {
      this.emit({ type: 'sync', service: s.name, copied: 0, deleted: 0, containers: [], ok: false });
      return { text: `cannot sync ${batch.copy.length + batch.remove.length} file(s) into ${s.name}: no running container (see \`surge ps\`)`, ok: false };
    }
    for (const c of targets) await driver.sync(this.stack.project, c, batch.copy, batch.remove, { signal: this.control.abortInFlight ?? new AbortController().signal, log: () => {} });
    this.emit({ type: 'sync', service: s.name, copied: batch.copy.length, deleted: batch.remove.length, containers: targets.map((c) => c.name), ok: true });
    const what = [
      batch.copy.length ? `synced ${batch.copy.length} file${batch.copy.length === 1 ? '' : 's'}` : '',
      batch.remove.length ? `deleted ${batch.remove.length} file${batch.remove.length === 1 ? '' : 's'}` : '',
    ].filter(Boolean);
    return { text: `${what.join(' and ')} in ${targets.map((c) => c.name).join(', ')}`, ok: true };
  }

  async restart(s: Service): Promise<RuleOutcome> {
    const observed = await this.stack.observe();
    const p = planLifecycle(this.stack.project, observed, 'restart', [s.name]);
    const r = await execute(this.stack, p, this.control);
    return { text: `restarted ${s.name}${r.ok ? '' : failures(r)}`, ok: r.ok };
  }
}

/** Every file under `root` (or `root` itself) that watch would react to. */
export function filesUnder(root: string, ignored: (path: string) => boolean): string[] {
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
