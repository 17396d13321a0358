// What every command definition shares: lazy loading of its module (start-up stays fast) and the progress choices.
import { checkNumericOptions } from './numeric-options.js';

/** yargs has validated the arguments against the command's builder; the handler module owns their type. */
export function lazy<A>(load: () => Promise<{ run: (args: A) => Promise<number> }>): (args: unknown) => Promise<void> {
  return async (args) => {
    checkNumericOptions(args as Record<string, unknown>);
    const mod = await load();
    process.exitCode = await mod.run(args as A);
  };
}

export const PROGRESS = ['auto', 'tty', 'plain', 'json', 'quiet'] as const;
