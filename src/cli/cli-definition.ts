// surge's command line as yargs reads it: every command, its options and its help. main.ts comes here for anything
// the fast path (fast-argv.ts) does not take: help, errors, and every command but plain `up`, `plan` and `down`.
import yargs, { type Argv } from 'yargs';
import { surgeVersion as version } from '../model/version.js';
import { lazy as runLazily, PROGRESS, type HandlerFor } from './command-kit.js';
import { DOWN_OPTIONS, GLOBAL_OPTIONS, PLAN_OPTIONS, SERVICES_POSITIONAL, UP_OPTIONS } from './command-options.js';
import { composeCommands } from './compose-commands.js';

/** The CLI's definition over `args`; `lazy` turns each command's module into its handler (tests record instead). */
export function defineCli(args: string[], lazy: HandlerFor = runLazily): Argv {
  return yargs(args)
    .scriptName('surge')
    .usage('$0 <command> [options]\n\nDeclarative, compose-style orchestration from a Boltfile.toml.')
    .version(version())
    .help()
    .alias('h', 'help')
    .strict()
    .demandCommand(1, 'Name a command; `surge --help` lists them.')
    .recommendCommands()
    .parserConfiguration({ 'populate--': true, 'halt-at-non-option': false, 'boolean-negation': false })
    .wrap(Math.min(110, process.stdout.columns || 100))
    .options(GLOBAL_OPTIONS)
    .command('validate', 'check the Boltfile: exit 0 if valid (warnings to stderr), 1 otherwise', {}, lazy(() => import('./commands/validate.js')))
    .command(
      'config',
      'print the normalized model',
      (y) =>
        y
          .option('format', { choices: ['json', 'toml', 'yaml'] as const, default: 'json' as const, describe: 'toml: a Boltfile that loads back to the same model; yaml: compose\'s shape' })
          .option('services', { type: 'boolean', describe: 'print the service names, one per line' })
          .option('volumes', { type: 'boolean', describe: 'print the volume names, one per line' })
          .option('images', { type: 'boolean', describe: 'print the image names, one per line' })
          .option('profiles', { type: 'boolean', describe: 'print the profile names, one per line' })
          .option('hash', { type: 'string', describe: 'print the config hash of SERVICE (comma-separated, or "*"), one per line' }),
      lazy(() => import('./commands/config.js')),
    )
    .command(
      'graph',
      'print the dependency graph (`from` is applied before `to`)',
      (y) => y.option('format', { choices: ['dot', 'mermaid', 'json'] as const, default: 'dot' as const }),
      lazy(() => import('./commands/graph.js')),
    )
    .command(
      'plan [services..]',
      'show what `surge up` / `surge apply` would do',
      (y) => y.positional('services', SERVICES_POSITIONAL).options(PLAN_OPTIONS),
      lazy(() => import('./commands/plan.js')),
    )
    .command(
      'up [services..]',
      'create and start the stack, converging it on the Boltfile',
      (y) => y.positional('services', SERVICES_POSITIONAL).options(UP_OPTIONS),
      lazy(() => import('./commands/up.js')),
    )
    .command(
      'apply [planfile]',
      'apply a plan saved with `surge plan -o FILE` (without FILE: plan and apply, like `up`)',
      (y) =>
        y
          .positional('planfile', { type: 'string' })
          .option('parallel', { type: 'number' })
          .option('progress', { choices: PROGRESS, default: 'auto' as const })
          .option('lock-timeout', { type: 'number', default: 300 }),
      lazy(() => import('./commands/apply.js')),
    )
    .command(
      'down',
      'stop and remove the stack (named volumes are kept unless --volumes)',
      (y) => y.options(DOWN_OPTIONS),
      lazy(() => import('./commands/down.js')),
    )
    .command(
      // The positional is `service`: compose's --services flag takes the name `services`.
      ['ps [service..]', 'status'],
      'list the stack\'s containers and processes',
      (y) =>
        y
          .positional('service', { type: 'string', array: true })
          .option('format', { choices: ['table', 'json'] as const, default: 'table' as const })
          .option('all', { alias: 'a', type: 'boolean', describe: 'include one-off containers' })
          .option('quiet', { alias: 'q', type: 'boolean', describe: 'only ids (container ids; a host process\'s pid)' })
          .option('services', { type: 'boolean', describe: 'only the services\' names' })
          .option('status', { type: 'string', array: true, nargs: 1, choices: ['paused', 'restarting', 'removing', 'running', 'dead', 'created', 'exited'], describe: 'only replicas in this state (repeatable)' }),
      lazy(() => import('./commands/ps.js')),
    )
    .command(
      'logs [services..]',
      'show output of services',
      (y) =>
        y
          .positional('services', { type: 'string', array: true })
          .option('follow', { type: 'boolean', describe: 'keep streaming (-f after `logs` means --follow)' })
          .option('tail', { type: 'number', describe: 'lines from the end of each log' })
          .option('since', { type: 'string', describe: 'since a time: RFC 3339, unix seconds or a duration like 10m' })
          .option('timestamps', { alias: 't', type: 'boolean' })
          .option('no-color', { type: 'boolean' })
          .option('no-log-prefix', { type: 'boolean' }),
      lazy(() => import('./commands/logs.js')),
    )
    .command(
      'exec <service>',
      'run a command in a running service: surge exec SERVICE -- CMD…',
      (y) =>
        y
          .positional('service', { type: 'string', demandOption: true })
          .option('index', { type: 'number', default: 1, describe: 'replica' })
          .option('T', { type: 'boolean', describe: 'no TTY' })
          .option('user', { alias: 'u', type: 'string' })
          .option('workdir', { alias: 'w', type: 'string' })
          .option('env', { alias: 'e', type: 'string', array: true, nargs: 1 }),
      lazy(() => import('./commands/exec.js')),
    )
    .command(
      'run <service>',
      'run a one-off container of a service: surge run [--rm] SERVICE -- CMD…',
      (y) =>
        y
          .positional('service', { type: 'string', demandOption: true })
          .option('rm', { type: 'boolean', describe: 'remove it when it exits' })
          .option('no-deps', { type: 'boolean', describe: 'do not start the services it depends on' })
          .option('T', { type: 'boolean', describe: 'no TTY' })
          .option('user', { alias: 'u', type: 'string' })
          .option('workdir', { alias: 'w', type: 'string' })
          .option('entrypoint', { type: 'string' })
          .option('env', { alias: 'e', type: 'string', array: true, nargs: 1 })
          .option('progress', { choices: PROGRESS, default: 'auto' as const }),
      lazy(() => import('./commands/run.js')),
    )
    .command(
      'start [services..]',
      'start existing containers',
      (y) => y.positional('services', { type: 'string', array: true }).option('progress', { choices: PROGRESS, default: 'auto' as const }),
      lazy(() => import('./commands/start.js')),
    )
    .command(
      'stop [services..]',
      'stop running containers without removing them',
      (y) =>
        y
          .positional('services', { type: 'string', array: true })
          .option('timeout', { alias: 't', type: 'number' })
          .option('progress', { choices: PROGRESS, default: 'auto' as const }),
      lazy(() => import('./commands/stop.js')),
    )
    .command(
      'restart [services..]',
      'restart containers',
      (y) =>
        y
          .positional('services', { type: 'string', array: true })
          .option('timeout', { alias: 't', type: 'number' })
          .option('progress', { choices: PROGRESS, default: 'auto' as const }),
      lazy(() => import('./commands/restart.js')),
    )
    .command(
      'build [services..]',
      'build images of services with `build`',
      (y) => y.positional('services', { type: 'string', array: true }).option('progress', { choices: PROGRESS, default: 'auto' as const }),
      lazy(() => import('./commands/build.js')),
    )
    .command(
      'pull [services..]',
      'pull images of services',
      (y) => y.positional('services', { type: 'string', array: true }).option('progress', { choices: PROGRESS, default: 'auto' as const }),
      lazy(() => import('./commands/pull.js')),
    )
    .command(
      'scale <scales..>',
      'set replica counts: surge scale web=3 worker=2 (existing replicas are never recreated)',
      (y) =>
        y
          .positional('scales', { type: 'string', array: true, demandOption: true })
          .option('progress', { choices: PROGRESS, default: 'auto' as const })
          .option('lock-timeout', { type: 'number', default: 300 }),
      lazy(() => import('./commands/scale.js')),
    )
    .command(
      'watch [services..]',
      'converge, then keep the stack converged on every change of the Boltfile or sources (Ctrl-C stops watching)',
      (y) =>
        y
          .positional('services', { type: 'string', array: true })
          .option('debounce', { type: 'number', default: 300, describe: 'quiet period in ms before re-converging' })
          .option('progress', { choices: PROGRESS, default: 'auto' as const })
          .option('parallel', { type: 'number' }),
      lazy(() => import('./commands/watch.js')),
    )
    .command(
      'import [compose-file]',
      'write a Boltfile.toml for a compose project (default: compose.yaml here), beside it',
      (y) =>
        y
          .positional('compose-file', { type: 'string', describe: 'the compose file (or name several with -f)' })
          .option('output', { alias: 'o', type: 'string', describe: 'write to FILE instead (- for stdout)' })
          .option('force', { type: 'boolean', describe: 'replace an existing file' }),
      lazy(() => import('./commands/import.js')),
    )
    .command('doctor', 'show what the container engine offers: version, runtimes, GPU support, Swarm', {}, lazy(() => import('./commands/doctor.js')))
    .command(composeCommands(lazy));
}

/** Parses `args` with yargs and runs the command; a usage error shows the help and exits 1. */
export async function runWithYargs(args: string[]): Promise<void> {
  const cli = defineCli(args).fail((msg, error, y) => {
    // yargs' own parse errors (an option without its value, …) are usage errors like the others, not bugs.
    if (error && error.name !== 'YError') throw error;
    process.stderr.write(`${msg ?? error?.message ?? 'invalid arguments'}\n\n`);
    y.showHelp((s: string) => process.stderr.write(`${s}\n`));
    process.exit(1);
  });
  skipHelpCache(cli);
  await cli.parseAsync();
}

/**
 * yargs renders the whole help text after dispatching every command, only to keep it for a later showHelp() from
 * inside the handler (yargs' command.js, cacheHelpMessage). surge never shows help from a handler, and measuring
 * every cell's width (string-width's emoji regex) costs 60–130 ms of each command's start-up on a 2-core machine.
 * Help on demand (`--help`, a usage error) is rendered as usual.
 */
function skipHelpCache(cli: object): void {
  const internals = (cli as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } }).getInternalMethods?.();
  const usage = internals?.getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => undefined;
}
