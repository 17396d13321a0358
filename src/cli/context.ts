// What every command starts from: its global arguments turned into a loaded project (warnings printed) and a
// stack connected to its drivers.
import { loadProject, type LoadedProject } from '../api/load.js';
import { connect, type Stack } from '../api/stack.js';
import { printWarnings } from './output.js';

export interface GlobalArgs {
  file?: string[];
  'project-name'?: string;
  'env-file'?: string[];
  profile?: string[];
  /** services named on the command line: their profiles are activated, as compose does */
  services?: string[];
  service?: string;
}

export function load(args: GlobalArgs, options: { quietWarnings?: boolean } = {}): LoadedProject {
  const loaded = loadProject({
    files: args.file ?? [],
    cwd: process.cwd(),
    ...(args['project-name'] !== undefined ? { projectName: args['project-name'] } : {}),
    envFiles: args['env-file'] ?? [],
    env: process.env,
    ...(args.profile?.length ? { profiles: args.profile } : {}),
    ...(args.services?.length || args.service ? { services: args.services ?? [args.service as string] } : {}),
  });
  if (!options.quietWarnings) printWarnings(loaded.warnings);
  return loaded;
}

/** Loads the project and connects it; the caller closes the stack. */
export async function open(args: GlobalArgs, options: { quietWarnings?: boolean } = {}): Promise<Stack> {
  return connect(load(args, options));
}

/** Runs `fn` with the stack, closing it afterwards whatever happens. */
export async function withStack<T>(stack: Stack, fn: (stack: Stack) => Promise<T>): Promise<T> {
  try {
    return await fn(stack);
  } finally {
    await stack.close();
  }
}
