#!/usr/bin/env -S node --
// `--`: Node 20 reads `--env-file` anywhere on its command line, even after the script (nodejs/node#54232), and
// would take surge's own `--env-file` for itself.
// surge's command line. Command modules load lazily so start-up stays fast; `--version` skips yargs entirely.
import { surgeVersion } from '../model/version.js';
import { ConfigError, InternalError, SurgeError, errorMessage } from '../model/errors.js';
import { lazy, PROGRESS } from './command-kit.js';
import { rewriteShortF, splitServiceCommand } from './compose-argv.js';
import { composeCommands } from './compose-commands.js';
import { deferOptimizingCompiler } from './short-run-compiler.js';

deferOptimizingCompiler();

const version = surgeVersion;

const argv = process.argv.slice(2);
// `-v` means the version only on its own, as in compose: after a command it is that command's (`down -v` is
// --volumes, `rm -v` too).
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  process.stdout.write(`${version()}\n`);
} else {
  void main(splitServiceCommand(rewriteShortF(argv)));
}

async function main(args: string[]): Promise<void> {
  const { default: yargs } = await import('yargs');
  const cli = yargs(args)
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
    .option('file', { alias: 'f', type: 'string', array: true, nargs: 1, describe: 'Boltfile(s); later files override earlier ones key by key', global: true })
    .option('project-name', { alias: 'p', type: 'string', describe: 'project name (default: from the Boltfile, else the folder name)', global: true })
    .option('env-file', { type: 'string', array: true, nargs: 1, describe: 'extra env file(s) for interpolation', global: true })
    .option('profile', { type: 'string', array: true, nargs: 1, describe: 'activate a profile (repeatable; default: COMPOSE_PROFILES / SURGE_PROFILES)', global: true })
    .option('driver', { choices: ['docker', 'swarm'] as const, describe: 'where containers run: one Docker engine, or a Docker Swarm through its manager (default: SURGE_DRIVER, else the Boltfile\'s `driver`)', global: true })
    .option('host', { alias: 'H', type: 'string', describe: 'the Docker engine or Swarm manager to use, as DOCKER_HOST (unix:///path, tcp://host:port)', global: true })
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
      (y) =>
        y
          .positional('services', { type: 'string', array: true })
          .option('json', { type: 'boolean', describe: 'print the plan as JSON' })
          .option('out', { alias: 'o', type: 'string', describe: 'save the plan to FILE for `surge apply FILE`' })
          .option('detailed-exitcode', { type: 'boolean', describe: 'exit 0 with no changes, 2 with changes, 1 on error' })
          .option('remove-orphans', { type: 'boolean', describe: 'plan the removal of containers of services no longer in the Boltfile' })
          .option('force-recreate', { type: 'boolean' })
          .option('no-recreate', { type: 'boolean' })
          .option('no-deps', { type: 'boolean', describe: 'do not include the services the named ones depend on' })
          .option('build', { type: 'boolean', describe: 'plan rebuilding images of services with `build`' })
          .option('pull', { choices: ['always', 'missing', 'never'] as const, default: 'missing' as const }),
      lazy(() => import('./commands/plan.js')),
    )
    .command(
      'up [services..]',
      'create and start the stack, converging it on the Boltfile',
      (y) =>
        y
          .positional('services', { type: 'string', array: true })
          .option('detach', { alias: 'd', type: 'boolean', describe: 'accepted for compose habits: up always returns once converged (see --attach)' })
          .option('wait', { type: 'boolean', describe: 'wait until services are running and healthy' })
          .option('wait-timeout', { type: 'number', describe: 'seconds to --wait before failing', default: 120 })
          .option('force-recreate', { type: 'boolean', describe: 'recreate containers even if nothing changed' })
          .option('no-recreate', { type: 'boolean', describe: 'never recreate existing containers' })
          .option('no-deps', { type: 'boolean', describe: 'do not start the services the named ones depend on' })
          .option('remove-orphans', { type: 'boolean', describe: 'remove containers of services no longer in the Boltfile' })
          .option('build', { type: 'boolean', describe: 'build images before starting' })
          .option('pull', { choices: ['always', 'missing', 'never'] as const, default: 'missing' as const })
          .option('dry-run', { type: 'boolean', describe: 'print the plan and touch nothing' })
          .option('watch', { type: 'boolean', describe: 'keep converging on every change (like `surge watch`)' })
          .option('attach', { type: 'boolean', describe: 'stay in the foreground: supervise host processes, stream logs; Ctrl-C stops the services' })
          .option('abort-on-container-exit', { type: 'boolean', describe: 'in the foreground (as --attach): stop everything when any container exits, and exit with its code' })
          .option('exit-code-from', { type: 'string', describe: 'exit with the exit code of this service\'s container (implies --abort-on-container-exit)' })
          .option('timeout', { alias: 't', type: 'number', describe: 'seconds to wait for a graceful stop when the foreground ends' })
          .option('parallel', { type: 'number', describe: 'how many actions run at once' })
          .option('progress', { choices: PROGRESS, default: 'auto' as const })
          .option('lock-timeout', { type: 'number', default: 300, describe: 'seconds to wait for another surge applying this project' })
          .option('debounce', { type: 'number', default: 300, describe: 'with --watch: quiet period in ms before re-converging' }),
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
      (y) =>
        y
          .option('volumes', { alias: 'v', type: 'boolean', describe: 'also remove named volumes and anonymous volumes (their data is lost)' })
          .option('remove-orphans', { type: 'boolean' })
          .option('rmi', { choices: ['local', 'all'] as const, describe: 'also remove images: local = built by surge' })
          .option('timeout', { alias: 't', type: 'number', describe: 'seconds to wait for a graceful stop' })
          .option('parallel', { type: 'number' })
          .option('progress', { choices: PROGRESS, default: 'auto' as const })
          .option('lock-timeout', { type: 'number', default: 300 }),
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
    .command(composeCommands)
    .fail((msg, error, y) => {
      // yargs' own parse errors (an option without its value, …) are usage errors like the others, not bugs.
      if (error && error.name !== 'YError') throw error;
      process.stderr.write(`${msg ?? error?.message ?? 'invalid arguments'}\n\n`);
      y.showHelp((s: string) => process.stderr.write(`${s}\n`));
      process.exit(1);
    });
  skipHelpCache(cli);
  try {
    await cli.parseAsync();
  } catch (error) {
    process.exitCode = reportError(error);
  }
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
