// Progress of an apply, four ways: a live listr2 tree on a TTY, plain lines, JSON lines, or nothing.
import type { ExecEvent } from '../../engine/executor.js';

export type ProgressMode = 'auto' | 'tty' | 'plain' | 'json' | 'quiet';

export interface Reporter {
  onEvent(event: ExecEvent): void;
  /** a message outside any action (notices, "waiting for the lock") */
  note(message: string): void;
  /** resolves when everything has been written */
  close(): Promise<void>;
}

export async function createReporter(mode: ProgressMode, stream: NodeJS.WriteStream = process.stderr): Promise<Reporter> {
  const resolved = mode === 'auto' ? (stream.isTTY && !process.env.CI ? 'tty' : 'plain') : mode;
  switch (resolved) {
    case 'tty': {
      const { TreeReporter } = await import('./tree-reporter.js');
      return new TreeReporter(stream);
    }
    case 'json': {
      const { JsonReporter } = await import('./json-reporter.js');
      return new JsonReporter(process.stdout);
    }
    case 'quiet':
      return { onEvent: () => {}, note: () => {}, close: async () => {} };
    default: {
      const { PlainReporter } = await import('./plain-reporter.js');
      return new PlainReporter(stream);
    }
  }
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
