#!/usr/bin/env -S node --
// `--`: Node 20 reads `--env-file` anywhere on its command line, even after the script (nodejs/node#54232), and
// would take surge's own `--env-file` for itself.
// surge's command line (bundled into dist/cli/surge-HASH.cjs, which start.ts runs through a code cache). Start-up
// is kept short: `--version` loads nothing more; plain `up`, `plan` and `down` are parsed by the fast path
// (fast-argv.ts) and load only their command's module; everything else goes to yargs (cli-definition.ts), loaded
// then. Command modules load lazily either way.
import { surgeVersion } from '../model/version.js';
import { ConfigError, InternalError, SurgeError, errorMessage } from '../model/errors.js';
import { lazy, type CommandModuleLoader } from './command-kit.js';
import { rewriteShortF, splitServiceCommand } from './compose-argv.js';
import { fastCommand, type FastCommandName } from './fast-argv.js';
import { deferOptimizingCompiler } from './short-run-compiler.js';

deferOptimizingCompiler();

/** The modules of the commands the fast path takes (the same ones cli-definition.ts loads for them). */
const FAST_COMMANDS: Record<FastCommandName, CommandModuleLoader<never>> = {
  up: () => import('./commands/up.js'),
  plan: () => import('./commands/plan.js'),
  down: () => import('./commands/down.js'),
};

const argv = process.argv.slice(2);
// `-v` means the version only on its own, as in compose: after a command it is that command's (`down -v` is
// --volumes, `rm -v` too).
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  process.stdout.write(`${surgeVersion()}\n`);
} else {
  void main(splitServiceCommand(rewriteShortF(argv)));
}

async function main(args: string[]): Promise<void> {
  try {
    const fast = fastCommand(args);
    if (fast) await lazy(FAST_COMMANDS[fast.command])(fast.args);
    else await (await import('./cli-definition.js')).runWithYargs(args);
  } catch (error) {
    process.exitCode = reportError(error);
  }
}

/** The exit code for an error that reached the top: 1 for the user's errors, 130 when cancelled, 70 for a bug. */
export function exitCodeFor(error: SurgeError): number {
  if (error.code === 'cancelled') return 130;
  if (error.code === 'internal') return 70;
  return 1;
}

export function reportError(thrown: unknown): number {
  const error = thrown instanceof SurgeError ? thrown : new InternalError(errorMessage(thrown), { cause: thrown });
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    const n = error.diagnostics.length;
    if (n > 1) process.stderr.write(`${n} errors.\n`);
  } else if (error.code === 'internal') {
    process.stderr.write(`surge: internal error: ${error.message}\nThis is a bug in surge. Please report it with the command you ran${process.env.SURGE_DEBUG ? '' : ' (SURGE_DEBUG=1 shows the stack)'}.\n`);
    const cause = error.cause instanceof Error ? error.cause : error;
    if (process.env.SURGE_DEBUG && cause.stack) process.stderr.write(`${cause.stack}\n`);
  } else {
    process.stderr.write(`surge: ${error.message}\n`);
  }
  return exitCodeFor(error);
}
