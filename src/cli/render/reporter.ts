// Progress of an apply, four ways: a live listr2 tree on a TTY, plain lines, JSON lines, or nothing.
import type { ProgressMode, Reporter } from './progress.js';

export type { ProgressMode, Reporter };

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
