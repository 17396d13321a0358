// One-off commands: `run` (a new container of a service, its dependencies converged first) and `exec` (in a
// running replica). Both attach to the streams the caller gives (default: this process's own).
import type { ExecOptions } from '../drivers/driver.js';
import { UserError } from '../model/errors.js';
import { checkServiceNames, planRun } from '../planner/plan.js';
import type { RunControl } from './control.js';
import { execute, nothingDone, type ExecuteResult } from './execute.js';
import { withProjectLock } from './lock.js';
import { gpuPreflightFor } from './preflight.js';
import { gpuServicesOfActions } from '../planner/gpu-preflight.js';
import type { Stack } from './stack.js';

/** How a one-off or exec command is attached: stdin/TTY, user, working directory, extra environment, streams. */
export interface CommandOptions {
  /** attach standard input (and a TTY when `tty`) */
  interactive?: boolean;
  tty?: boolean;
  user?: string | null;
  workdir?: string | null;
  env?: Record<string, string>;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

/**
 * Options of `runOneOff`: the command, entrypoint, removal, dependencies, how it is attached, and the run control.
 */
export interface RunOneOffOptions extends CommandOptions, RunControl {
  /** the command (default: the service's) */
  command?: string[] | null;
  entrypoint?: string[] | null;
  /** remove the container when it exits */
  remove?: boolean;
  /** do not start the services it depends on */
  noDeps?: boolean;
}

/** What `runOneOff` did: the converge of what the one-off needs, and the command's exit code. */
export interface RunOneOffResult {
  /** converging what the one-off needs (image, networks, volumes, dependencies); if it failed, nothing ran */
  prepared: ExecuteResult;
  /** the command's exit code; null when it did not run */
  exitCode: number | null;
}

function execOptions(o: CommandOptions): ExecOptions {
  return {
    interactive: o.interactive ?? false,
    tty: o.tty ?? false,
    user: o.user ?? null,
    workdir: o.workdir ?? null,
    env: o.env ?? {},
    ...(o.stdin ? { stdin: o.stdin } : {}),
    ...(o.stdout ? { stdout: o.stdout } : {}),
    ...(o.stderr ? { stderr: o.stderr } : {}),
  };
}

/**
 * Runs a one-off container (or process) of `service`: what it needs is converged first under the project lock
 * (as `up` would, unless `noDeps`), then the command runs.
 */
export async function runOneOff(stack: Stack, service: string, options: RunOneOffOptions = {}): Promise<RunOneOffResult> {
  checkServiceNames(stack.project, [service]);
  const s = stack.project.services[service];
  if (!s) throw new UserError(`no such service: ${service}`, 'no-such-service');
  const prepared = await withProjectLock(stack, options, 'run', async () => {
    const observed = await stack.observe();
    const plan = planRun(stack.project, observed, service, { noDeps: options.noDeps ?? false });
    // The one-off and the dependencies the plan starts: if any needs a GPU the target cannot give, stop before
    // creating its networks, volumes or dependencies.
    const gpu = gpuServicesOfActions(stack.project, plan.actions);
    if (s.driver !== 'process' && s.gpu !== null && !gpu.includes(service)) gpu.unshift(service);
    await gpuPreflightFor(stack, gpu);
    return plan.actions.length ? execute(stack, plan, options) : nothingDone();
  });
  if (!prepared.ok || options.signal?.aborted) return { prepared, exitCode: null };
  const driver = await stack.driver(s.driver);
  const exitCode = await driver.run(stack.project, s, {
    ...execOptions(options),
    remove: options.remove ?? false,
    command: options.command ?? null,
    entrypoint: options.entrypoint ?? null,
  });
  return { prepared, exitCode };
}

/** Options of `execIn`: which replica, and how the command is attached. */
export interface ExecInOptions extends CommandOptions {
  /** replica, 1-based (default 1) */
  index?: number;
}

/** Runs `command` in a running replica of `service`; resolves with its exit code. */
export async function execIn(stack: Stack, service: string, command: string[], options: ExecInOptions = {}): Promise<number> {
  checkServiceNames(stack.project, [service]);
  const s = stack.project.services[service];
  if (!s) throw new UserError(`no such service: ${service}`, 'no-such-service');
  if (!command.length) throw new UserError('name the command to run');
  const observed = await stack.observe([s.driver]);
  const replica = options.index ?? 1;
  const c = observed.containers.find((x) => x.service === s.name && x.replica === replica && !x.oneoff && x.driver === s.driver);
  if (!c) throw new UserError(`service ${s.name} has no replica ${replica}; run \`surge up\` first`, 'precondition');
  if (c.state !== 'running') throw new UserError(`${c.name} is not running (${c.state}); start it with \`surge start ${s.name}\``, 'precondition');
  const driver = await stack.driver(s.driver);
  return driver.exec(stack.project, c, command, execOptions(options));
}
