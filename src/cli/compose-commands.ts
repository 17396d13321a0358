// compose's commands beyond the core, with compose's flags: what they mean in `docker compose` is what they mean
// here. Each loads its module lazily, like the commands in cli-definition.ts, through the handler factory given
// (tests pass one that records the parsed arguments instead of running the command).
import type { Argv, CommandModule } from 'yargs';
import { PROGRESS, type HandlerFor } from './command-kit.js';

type Command = CommandModule<object, object>;

const services = <T>(y: Argv<T>) => y.positional('services', { type: 'string', array: true });
const progress = <T>(y: Argv<T>) => y.option('progress', { choices: PROGRESS, default: 'auto' as const });

export const composeCommands = (lazy: HandlerFor): Command[] => [
  {
    command: 'create [services..]',
    describe: 'create the stack\'s containers, networks and volumes without starting them (start or up starts them)',
    builder: (y) =>
      progress(services(y))
        .option('build', { type: 'boolean', describe: 'build images before creating' })
        .option('pull', { choices: ['always', 'missing', 'never'] as const, default: 'missing' as const })
        .option('force-recreate', { type: 'boolean' })
        .option('no-recreate', { type: 'boolean' })
        .option('remove-orphans', { type: 'boolean' })
        .option('parallel', { type: 'number' })
        .option('lock-timeout', { type: 'number', default: 300 }),
    handler: lazy(() => import('./commands/create.js')),
  },
  {
    command: 'rm [services..]',
    describe: 'remove stopped containers (and host process records); -s stops running ones first',
    builder: (y) =>
      progress(services(y))
        .option('force', { type: 'boolean', describe: 'do not ask (-f after `rm` means --force)' })
        .option('stop', { alias: 's', type: 'boolean', describe: 'stop the running ones first and remove them too' })
        .option('volumes', { alias: 'v', type: 'boolean', describe: 'also remove their anonymous volumes' })
        .option('timeout', { alias: 't', type: 'number', describe: 'with -s: seconds to wait for a graceful stop' })
        .option('lock-timeout', { type: 'number', default: 300 }),
    handler: lazy(() => import('./commands/rm.js')),
  },
  {
    command: 'kill [services..]',
    describe: 'send a signal to running containers and processes (default SIGKILL)',
    builder: (y) =>
      services(y)
        .option('signal', { alias: 's', type: 'string', default: 'SIGKILL', describe: 'signal to send, e.g. SIGTERM, HUP, 9' })
        .option('remove-orphans', { type: 'boolean', describe: 'also containers of services no longer in the Boltfile' }),
    handler: lazy(() => import('./commands/kill.js')),
  },
  {
    command: 'pause [services..]',
    describe: 'pause running containers',
    builder: (y) => services(y),
    handler: lazy(() => import('./commands/pause.js')),
  },
  {
    command: 'unpause [services..]',
    describe: 'resume paused containers',
    builder: (y) => services(y),
    handler: lazy(() => import('./commands/unpause.js')),
  },
  {
    command: 'top [services..]',
    describe: 'show the processes running in each container and host process',
    builder: (y) => services(y),
    handler: lazy(() => import('./commands/top.js')),
  },
  {
    command: 'port <service> <private_port>',
    describe: 'print where a container port is published on the host',
    builder: (y) =>
      y
        .positional('service', { type: 'string', demandOption: true })
        .positional('private_port', { type: 'number', demandOption: true })
        .option('protocol', { choices: ['tcp', 'udp'] as const, default: 'tcp' as const })
        .option('index', { type: 'number', default: 1, describe: 'replica' }),
    handler: lazy(() => import('./commands/port.js')),
  },
  {
    command: 'cp <source> <destination>',
    describe: 'copy files between a service and this host: surge cp web:/etc/app.conf . | surge cp ./x web:/tmp/',
    builder: (y) =>
      y
        .positional('source', { type: 'string', demandOption: true })
        .positional('destination', { type: 'string', demandOption: true })
        .option('index', { type: 'number', describe: 'replica (copying in: default every replica; out: the first)' }),
    handler: lazy(() => import('./commands/cp.js')),
  },
  {
    command: 'images [services..]',
    describe: 'list the images the containers run',
    builder: (y) =>
      services(y)
        .option('format', { choices: ['table', 'json'] as const, default: 'table' as const })
        .option('quiet', { alias: 'q', type: 'boolean', describe: 'only image ids' }),
    handler: lazy(() => import('./commands/images.js')),
  },
  {
    command: 'wait <services..>',
    describe: 'block until the services\' containers exit; print their exit codes',
    builder: (y) => y.positional('services', { type: 'string', array: true, demandOption: true }),
    handler: lazy(() => import('./commands/wait.js')),
  },
  {
    command: 'events [services..]',
    describe: 'stream the engine\'s events for the project\'s containers',
    builder: (y) => services(y).option('json', { type: 'boolean', describe: 'one JSON object per event' }),
    handler: lazy(() => import('./commands/events.js')),
  },
  {
    command: 'ls',
    describe: 'list the projects on the container engine',
    builder: (y) =>
      y
        .option('all', { alias: 'a', type: 'boolean', describe: 'also projects with no running container' })
        .option('format', { choices: ['table', 'json'] as const, default: 'table' as const })
        .option('quiet', { alias: 'q', type: 'boolean', describe: 'only project names' }),
    handler: lazy(() => import('./commands/ls.js')),
  },
  {
    command: 'stats [services..]',
    describe: 'live CPU, memory, network and block I/O per container (GPU use where nvidia-smi is installed)',
    builder: (y) =>
      services(y)
        .option('no-stream', { type: 'boolean', describe: 'one sample, then exit' })
        .option('all', { alias: 'a', type: 'boolean', describe: 'stopped containers too' })
        .option('format', { choices: ['table', 'json'] as const, default: 'table' as const }),
    handler: lazy(() => import('./commands/stats.js')),
  },
];
