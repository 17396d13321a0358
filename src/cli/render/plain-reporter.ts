// One line per event, for logs and pipes.
import type { ExecEvent } from '../../index.js';
import { seconds, type Reporter } from './progress.js';

export class PlainReporter implements Reporter {
  constructor(private readonly out: NodeJS.WritableStream) {}

  private line(text: string): void {
    this.out.write(`${text}\n`);
  }

  note(message: string): void {
    this.line(message);
  }

  onEvent(e: ExecEvent): void {
    switch (e.type) {
      case 'action-start':
        this.line(`  ${e.action.op} ${e.action.id} (${e.action.reason}) ...`);
        return;
      case 'action-log':
        this.line(`    ${e.action.id}: ${e.line}`);
        return;
      case 'action-done':
        this.line(`  ${e.action.op} ${e.action.id}: done in ${seconds(e.durationMs)}`);
        return;
      case 'action-failed':
        this.line(`  ${e.action.op} ${e.action.id}: FAILED: ${e.error.message}`);
        return;
      case 'action-skipped':
        this.line(`  ${e.action.op} ${e.action.id}: skipped (${e.because.join(', ')} failed)`);
        return;
      case 'action-cancelled':
        this.line(`  ${e.action.op} ${e.action.id}: not started (cancelled)`);
        return;
      case 'finish':
        this.line(summaryLine(e));
        return;
      default:
        return;
    }
  }

  async close(): Promise<void> {}
}

export function summaryLine(e: Extract<ExecEvent, { type: 'finish' }>): string {
  const parts = [`${e.done} done`];
  if (e.failed) parts.push(`${e.failed} failed`);
  if (e.skipped) parts.push(`${e.skipped} skipped`);
  if (e.cancelled) parts.push(`${e.cancelled} not started`);
  return `${e.ok ? 'Applied' : 'Apply incomplete'}: ${parts.join(', ')} in ${seconds(e.durationMs)}.`;
}
