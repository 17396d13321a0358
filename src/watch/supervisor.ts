// Watch's supervision between edits: restarts the host processes whose restart policy asks for it (the engine
// restarts containers itself), gives up on `on-failure:N` after N restarts, holds a service that keeps crashing
// (flapping) until its config or sources change, and reports containers the engine keeps restarting.
import type { RunControl } from '../api/control.js';
import { execute } from '../api/execute.js';
import type { Stack } from '../api/stack.js';
import type { Service } from '../model/model.js';
import type { ObservedContainer, ObservedState } from '../model/observed.js';
import { isFinishedOneShot, plan as makePlan, type PlanOptions } from '../planner/plan.js';
import { describeActions, failures } from './describe.js';
import type { WatchChange } from './events.js';

const FLAP_WINDOW_MS = 60_000;
const FLAP_LIMIT = 3;

export interface SupervisionOutcome {
  text: string;
  ok: boolean;
  flapping?: { services: string[]; by: 'engine' | 'surge' };
}

/** N of `restart = "on-failure:N"`, null when the policy sets no limit. */
export function maxRetries(s: Service | undefined): number | null {
  const m = /^on-failure:(\d+)$/.exec(s?.restart ?? '');
  return m ? Number(m[1]) : null;
}

export class Supervisor {
  private readonly hold = new Set<string>();
  private readonly starts = new Map<string, number[]>();
  /** containers the engine itself keeps restarting (its restart policy): when each service was seen restarting */
  private readonly engineRestarts = new Map<string, number[]>();
  private readonly reportedEngineFlapping = new Set<string>();
  /** restarts by policy per replica action id, for `on-failure:N` (reset when config or sources change) */
  private readonly retries = new Map<string, number>();
  /** containers and processes seen running at the last look, by id */
  private running = new Set<string>();
  /** replicas that stopped on their own since the last report: "NAME exited (CODE)" */
  private died: string[] = [];

  constructor(
    private readonly stack: Stack,
    private readonly control: RunControl,
    private readonly planOptions: (extra: PlanOptions) => PlanOptions,
    private readonly record: (changes: WatchChange[]) => void,
    private readonly now: () => number = Date.now,
  ) {}

  held(): string[] {
    return [...this.hold];
  }

  /** A Boltfile edit: every service gets a fresh start. */
  forgetAll(): void {
    this.hold.clear();
    this.engineRestarts.clear();
    this.reportedEngineFlapping.clear();
    this.retries.clear();
  }

  /** A source edit of `service`: it is no longer held, and its restart count starts again. */
  forget(service: string): void {
    this.hold.delete(service);
    for (const id of [...this.retries.keys()]) if (id.startsWith(`service:${service}#`)) this.retries.delete(id);
  }

  private supervisionPlan(observed: ObservedState): ReturnType<typeof makePlan> {
    return makePlan(this.stack.project, observed, this.planOptions({ restartPolicyOnly: true, removeOrphans: false }));
  }

  /**
   * Notes the replicas that were running at the last look and have stopped since (a crash, an OOM kill, a `docker
   * stop` by hand), so watch reports them; a one-shot job that completed is not a death.
   */
  private noteDeaths(observed: ObservedState): void {
    const now = new Set<string>();
    for (const c of observed.containers) {
      if (c.oneoff) continue;
      if (c.state === 'running' || c.state === 'restarting') {
        now.add(c.id);
        continue;
      }
      const s = this.stack.project.services[c.service];
      if (!this.running.has(c.id) || (c.state !== 'exited' && c.state !== 'dead')) continue;
      if (s && isFinishedOneShot(c, s, this.stack.project)) continue;
      this.died.push(`${c.name} ${c.state === 'dead' ? 'died' : `exited${c.exitCode === null ? '' : ` (${c.exitCode})`}`}`);
    }
    this.running = now;
  }

  /** Whether a poll found something for `supervise` to do. */
  needsAttention(observed: ObservedState): boolean {
    this.noteDeaths(observed);
    if (this.died.length) return true;
    const engineRestarting = observed.containers.some((c) => c.driver !== 'process' && c.state === 'restarting');
    return engineRestarting || this.supervisionPlan(observed).actions.some((a) => a.kind === 'service');
  }

  /** Reports what died and restarts what the restart policy asks for; null when there was nothing to do. */
  async supervise(): Promise<SupervisionOutcome | null> {
    const observed = await this.stack.observe();
    this.noteDeaths(observed);
    const deaths = this.died.splice(0);
    const outcome = await this.restartByPolicy(observed);
    if (!deaths.length) return outcome;
    this.record(deaths.map((d) => ({ op: 'died', service: d.split(' ')[0] ?? d })));
    const said = `${deaths.join(', ')}; see \`surge logs\``;
    return outcome ? { ...outcome, text: `${said}; ${outcome.text}`, ok: false } : { text: said, ok: false };
  }

  private async restartByPolicy(observed: ObservedState): Promise<SupervisionOutcome | null> {
    const engineFlapping = this.engineFlapping(observed.containers);
    if (engineFlapping.length) {
      this.record(engineFlapping.map((f) => ({ op: 'flapping', service: f })));
      const one = engineFlapping.length === 1;
      return {
        text: `${engineFlapping.join(', ')} ${one ? 'is' : 'are'} flapping: the engine keeps restarting ${one ? 'it' : 'them'} (its restart policy, with the engine's own back-off); see \`surge logs ${engineFlapping[0]}\``,
        ok: false,
        flapping: { services: engineFlapping, by: 'engine' },
      };
    }
    const p = this.supervisionPlan(observed);
    const starts = p.actions.filter((a) => a.kind === 'service');
    if (!starts.length) return null;
    // on-failure:N restarts a replica at most N times, as Docker does; then it stays down until an edit.
    const exhausted = [...new Set(starts.filter((a) => (this.retries.get(a.id) ?? 0) >= (maxRetries(this.stack.project.services[a.name]) ?? Infinity)).map((a) => a.name))];
    if (exhausted.length) {
      exhausted.forEach((n) => this.hold.add(n));
      const rest = await this.runHeld(observed);
      const policies = exhausted.map((n) => `${n} (restart = "${this.stack.project.services[n]?.restart}")`).join(', ');
      return { text: `${policies}: gave up after the allowed restarts; not restarting until the config or sources change${rest}`, ok: false };
    }
    const now = this.now();
    const flapping: string[] = [];
    for (const name of new Set(starts.map((a) => a.name))) {
      const recent = (this.starts.get(name) ?? []).filter((t) => now - t < FLAP_WINDOW_MS);
      recent.push(now);
      this.starts.set(name, recent);
      if (recent.length > FLAP_LIMIT) flapping.push(name);
    }
    if (flapping.length) {
      flapping.forEach((f) => this.hold.add(f));
      this.record(flapping.map((f) => ({ op: 'hold', service: f })));
      const rest = await this.runHeld(observed);
      const one = flapping.length === 1;
      return {
        text: `${flapping.join(', ')} ${one ? 'is' : 'are'} flapping (crashed ${FLAP_LIMIT + 1} times within ${FLAP_WINDOW_MS / 1000} s): not restarting until ${one ? 'its' : 'their'} config or sources change${rest}`,
        ok: false,
        flapping: { services: flapping, by: 'surge' },
      };
    }
    const r = await execute(this.stack, p, this.control);
    for (const a of r.done) this.retries.set(a.id, (this.retries.get(a.id) ?? 0) + 1);
    const changes: WatchChange[] = [];
    const text = describeActions(p.actions, new Set(r.done.map((a) => a.id)), changes) + (r.ok ? '' : failures(r));
    this.record(changes);
    return { text, ok: r.ok };
  }

  /** With some services now held, restarts the others that still need it; the text to append. */
  private async runHeld(observed: ObservedState): Promise<string> {
    const held = this.supervisionPlan(observed);
    if (!held.actions.length) return '';
    const r = await execute(this.stack, held, this.control);
    for (const a of r.done) this.retries.set(a.id, (this.retries.get(a.id) ?? 0) + 1);
    const changes: WatchChange[] = [];
    const text = `; ${describeActions(held.actions, new Set(r.done.map((a) => a.id)), changes)}`;
    this.record(changes);
    return text;
  }

  /**
   * Containers are restarted by the engine, not by surge, so surge cannot hold them; it reports, once until the next
   * edit, a service seen restarting again and again.
   */
  private engineFlapping(containers: ObservedContainer[]): string[] {
    const now = this.now();
    const out: string[] = [];
    for (const name of new Set(containers.filter((c) => c.driver !== 'process' && c.state === 'restarting').map((c) => c.service))) {
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
}
