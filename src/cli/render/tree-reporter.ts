// A live listr2 tree on a TTY. The executor schedules; listr2 only draws: each task settles when the executor
// reports its action finished, failed, skipped or cancelled.
import { Listr, type ListrTask } from 'listr2';
import type { ExecEvent } from '../../index.js';
import type { Action } from '../../index.js';
import { summaryLine } from './plain-reporter.js';
import { seconds, type Reporter } from './progress.js';

type Outcome = { kind: 'done' | 'failed' | 'skipped'; message: string };

interface Slot {
  settle(outcome: Outcome): void;
  started(): void;
  log(line: string): void;
}

function title(a: Action): string {
  return `${a.op} ${a.id} (${a.reason})`;
}

export class TreeReporter implements Reporter {
  private readonly slots = new Map<string, Slot>();
  private running: Promise<unknown> | null = null;
  private summary: string | null = null;
  private readonly pendingNotes: string[] = [];

  constructor(private readonly out: NodeJS.WriteStream) {}

  note(message: string): void {
    if (this.running) this.pendingNotes.push(message);
    else this.out.write(`${message}\n`);
  }

  onEvent(e: ExecEvent): void {
    switch (e.type) {
      case 'start':
        this.begin(e.actions);
        return;
      case 'action-start':
        this.slots.get(e.action.id)?.started();
        return;
      case 'action-log':
        this.slots.get(e.action.id)?.log(e.line);
        return;
      case 'action-done':
        this.slots.get(e.action.id)?.settle({ kind: 'done', message: `${title(e.action)} ${seconds(e.durationMs)}` });
        return;
      case 'action-failed':
        this.slots.get(e.action.id)?.settle({ kind: 'failed', message: `${title(e.action)}: ${e.error.message}` });
        return;
      case 'action-skipped':
        this.slots.get(e.action.id)?.settle({ kind: 'skipped', message: `${e.action.id}: skipped (${e.because.join(', ')} failed)` });
        return;
      case 'action-cancelled':
        this.slots.get(e.action.id)?.settle({ kind: 'skipped', message: `${e.action.id}: not started (cancelled)` });
        return;
      case 'finish':
        this.summary = summaryLine(e);
        return;
    }
  }

  private begin(actions: Action[]): void {
    const tasks: ListrTask[] = actions.map((action) => {
      let settle!: (o: Outcome) => void;
      const outcome = new Promise<Outcome>((r) => (settle = r));
      const state: { started: boolean; lastLog: string | null; onStart: () => void; onLog: (l: string) => void } = {
        started: false,
        lastLog: null,
        onStart: () => {},
        onLog: () => {},
      };
      this.slots.set(action.id, {
        settle,
        started: () => {
          state.started = true;
          state.onStart();
        },
        log: (l) => {
          state.lastLog = l;
          state.onLog(l);
        },
      });
      return {
        title: `${action.op} ${action.id} (waiting)`,
        task: async (_ctx, t) => {
          state.onStart = () => (t.title = title(action));
          state.onLog = (l) => (t.output = l);
          if (state.started) state.onStart();
          if (state.lastLog) t.output = state.lastLog;
          const o = await outcome;
          t.title = o.message;
          if (o.kind === 'failed') throw new Error(o.message);
          if (o.kind === 'skipped') t.skip(o.message);
        },
      };
    });
    const listr = new Listr(tasks, {
      concurrent: true,
      exitOnError: false,
      collectErrors: false,
      rendererOptions: { collapseErrors: false, collapseSkips: false, showErrorMessage: true },
    });
    const run = listr.run().catch(() => undefined);
    this.running = this.running ? Promise.all([this.running, run]) : run;
  }

  async close(): Promise<void> {
    if (this.running) await this.running;
    for (const n of this.pendingNotes) this.out.write(`${n}\n`);
    if (this.summary) this.out.write(`${this.summary}\n`);
  }
}
