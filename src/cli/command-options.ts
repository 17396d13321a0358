// The options of the commands the fast path (fast-argv.ts) parses without yargs: the global ones, `plan`, `up` and
// `down`. One table each, read both by yargs (cli-definition.ts, which also lays out `--help` from them, in this
// order) and by the fast path, so the two cannot disagree on a name, alias, type, choice or default.
import type { Options, PositionalOptions } from 'yargs';
import { PROGRESS } from './command-kit.js';

export const GLOBAL_OPTIONS = {
  file: { alias: 'f', type: 'string', array: true, nargs: 1, describe: 'Boltfile(s); later files override earlier ones key by key', global: true },
  'project-name': { alias: 'p', type: 'string', describe: 'project name (default: from the Boltfile, else the folder name)', global: true },
  'env-file': { type: 'string', array: true, nargs: 1, describe: 'extra env file(s) for interpolation', global: true },
  profile: { type: 'string', array: true, nargs: 1, describe: 'activate a profile (repeatable; default: COMPOSE_PROFILES / SURGE_PROFILES)', global: true },
  driver: {
    choices: ['docker', 'swarm'] as const,
    describe: 'where containers run: one Docker engine, or a Docker Swarm through its manager (default: SURGE_DRIVER, else the Boltfile\'s `driver`)',
    global: true,
  },
  host: { alias: 'H', type: 'string', describe: 'the Docker engine or Swarm manager to use, as DOCKER_HOST (unix:///path, tcp://host:port)', global: true },
} satisfies Record<string, Options>;

/** `[services..]` of `plan` and `up` */
export const SERVICES_POSITIONAL = { type: 'string', array: true } satisfies PositionalOptions;

export const PLAN_OPTIONS = {
  json: { type: 'boolean', describe: 'print the plan as JSON' },
  out: { alias: 'o', type: 'string', describe: 'save the plan to FILE for `surge apply FILE`' },
  'detailed-exitcode': { type: 'boolean', describe: 'exit 0 with no changes, 2 with changes, 1 on error' },
  'remove-orphans': { type: 'boolean', describe: 'plan the removal of containers of services no longer in the Boltfile' },
  'force-recreate': { type: 'boolean' },
  'no-recreate': { type: 'boolean' },
  'no-deps': { type: 'boolean', describe: 'do not include the services the named ones depend on' },
  build: { type: 'boolean', describe: 'plan rebuilding images of services with `build`' },
  pull: { choices: ['always', 'missing', 'never'] as const, default: 'missing' as const },
} satisfies Record<string, Options>;

export const UP_OPTIONS = {
  detach: { alias: 'd', type: 'boolean', describe: 'accepted for compose habits: up always returns once converged (see --attach)' },
  wait: { type: 'boolean', describe: 'wait until services are running and healthy' },
  'wait-timeout': { type: 'number', describe: 'seconds to --wait before failing', default: 120 },
  'force-recreate': { type: 'boolean', describe: 'recreate containers even if nothing changed' },
  'no-recreate': { type: 'boolean', describe: 'never recreate existing containers' },
  'no-deps': { type: 'boolean', describe: 'do not start the services the named ones depend on' },
  'remove-orphans': { type: 'boolean', describe: 'remove containers of services no longer in the Boltfile' },
  build: { type: 'boolean', describe: 'build images before starting' },
  pull: { choices: ['always', 'missing', 'never'] as const, default: 'missing' as const },
  'dry-run': { type: 'boolean', describe: 'print the plan and touch nothing' },
  watch: { type: 'boolean', describe: 'keep converging on every change (like `surge watch`)' },
  attach: { type: 'boolean', describe: 'stay in the foreground: supervise host processes, stream logs; Ctrl-C stops the services' },
  'abort-on-container-exit': { type: 'boolean', describe: 'in the foreground (as --attach): stop everything when any container exits, and exit with its code' },
  'exit-code-from': { type: 'string', describe: 'exit with the exit code of this service\'s container (implies --abort-on-container-exit)' },
  timeout: { alias: 't', type: 'number', describe: 'seconds to wait for a graceful stop when the foreground ends' },
  parallel: { type: 'number', describe: 'how many actions run at once' },
  progress: { choices: PROGRESS, default: 'auto' as const },
  'lock-timeout': { type: 'number', default: 300, describe: 'seconds to wait for another surge applying this project' },
  debounce: { type: 'number', default: 300, describe: 'with --watch: quiet period in ms before re-converging' },
} satisfies Record<string, Options>;

export const DOWN_OPTIONS = {
  volumes: { alias: 'v', type: 'boolean', describe: 'also remove named volumes and anonymous volumes (their data is lost)' },
  'remove-orphans': { type: 'boolean' },
  rmi: { choices: ['local', 'all'] as const, describe: 'also remove images: local = built by surge' },
  timeout: { alias: 't', type: 'number', describe: 'seconds to wait for a graceful stop' },
  parallel: { type: 'number' },
  progress: { choices: PROGRESS, default: 'auto' as const },
  'lock-timeout': { type: 'number', default: 300 },
} satisfies Record<string, Options>;
