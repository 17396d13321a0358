// What every command definition shares: lazy loading of its module (start-up stays fast) and the progress choices.
import { checkNumericOptions } from './numeric-options.js';

/** A command module: its `run` takes the parsed arguments and gives the exit code. */
export type CommandModuleLoader<A> = () => Promise<{ run: (args: A) => Promise<number> }>;

/** Turns a command module's loader into the handler yargs (or the fast path, fast-argv.ts) calls with the arguments. */
export type HandlerFor = <A>(load: CommandModuleLoader<A>) => (args: unknown) => Promise<void>;

/** The arguments have been validated against the command's options; the handler module owns their type. */
export const lazy: HandlerFor = (load) => async (args) => {
  checkNumericOptions(args as Record<string, unknown>);
  const mod = await load();
  process.exitCode = await mod.run(args as Parameters<typeof mod.run>[0]);
};

export const PROGRESS = ['auto', 'tty', 'plain', 'json', 'quiet'] as const;
