// What every progress display implements: it draws the executor's events and the CLI's own notes.
import type { ExecEvent } from '../../index.js';

export type ProgressMode = 'auto' | 'tty' | 'plain' | 'json' | 'quiet';

export interface Reporter {
  onEvent(event: ExecEvent): void;
  /** a message outside any action (notices, "waiting for the lock") */
  note(message: string): void;
  /** resolves when everything has been written */
  close(): Promise<void>;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
