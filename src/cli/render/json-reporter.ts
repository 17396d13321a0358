// One JSON object per line, for machines: action started/finished/failed with ids and durations.
import type { ExecEvent } from '../../index.js';
import type { Reporter } from './progress.js';

export class JsonReporter implements Reporter {
  constructor(private readonly out: NodeJS.WritableStream) {}

  private write(obj: Record<string, unknown>): void {
    this.out.write(`${JSON.stringify({ time: new Date().toISOString(), ...obj })}\n`);
  }

  note(message: string): void {
    this.write({ event: 'notice', message });
  }

  onEvent(e: ExecEvent): void {
    const a = 'action' in e ? { id: e.action.id, kind: e.action.kind, name: e.action.name, op: e.action.op } : {};
    switch (e.type) {
      case 'start':
        this.write({ event: 'apply-started', project: e.project, actions: e.actions.length });
        return;
      case 'action-start':
        this.write({ event: 'action-started', ...a, reason: e.action.reason });
        return;
      case 'action-log':
        this.write({ event: 'action-log', ...a, message: e.line });
        return;
      case 'action-done':
        this.write({ event: 'action-finished', ...a, durationMs: e.durationMs });
        return;
      case 'action-failed':
        this.write({ event: 'action-failed', ...a, error: e.error.message, durationMs: e.durationMs });
        return;
      case 'action-skipped':
        this.write({ event: 'action-skipped', ...a, because: e.because });
        return;
      case 'action-cancelled':
        this.write({ event: 'action-cancelled', ...a });
        return;
      case 'finish':
        this.write({ event: 'apply-finished', ok: e.ok, durationMs: e.durationMs, done: e.done, failed: e.failed, skipped: e.skipped, cancelled: e.cancelled });
        return;
    }
  }

  async close(): Promise<void> {}
}
