// Debounces change events and runs at most one reconcile at a time. Changes that arrive while a reconcile runs
// are gathered into exactly one follow-up, started once the quiet period after the last change has passed.

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export class Coalescer<T> {
  private pending: T[] = [];
  private timer: unknown = null;
  private running = false;
  private quietElapsed = false;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly quietMs: number,
    private readonly run: (batch: T[]) => Promise<void>,
    private readonly timers: Timers = realTimers,
  ) {}

  push(item: T): void {
    if (this.stopped) return;
    this.pending.push(item);
    this.quietElapsed = false;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.quietElapsed = true;
      this.maybeRun();
    }, this.quietMs);
  }

  private maybeRun(): void {
    if (this.running || this.stopped || !this.quietElapsed || this.pending.length === 0) {
      if (!this.running && this.pending.length === 0) this.notifyIdle();
      return;
    }
    const batch = this.pending;
    this.pending = [];
    this.quietElapsed = false;
    this.running = true;
    void this.run(batch)
      .catch(() => undefined)
      .finally(() => {
        this.running = false;
        // Changes that came in during the run whose quiet period is already over go now, as one batch.
        if (this.pending.length && this.timer === null) this.quietElapsed = true;
        this.maybeRun();
      });
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    waiters.forEach((w) => w());
  }

  /** Resolves when nothing is running or pending. */
  idle(): Promise<void> {
    if (!this.running && this.pending.length === 0 && this.timer === null) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  get busy(): boolean {
    return this.running;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.pending = [];
    if (!this.running) this.notifyIdle();
  }
}
