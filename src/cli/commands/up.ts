import { setMaxListeners } from 'node:events';
import { createReporter } from '../render/reporter.js';
import { CancelledError, UserError, errorMessage } from '../../model/errors.js';
import type { Driver } from '../../drivers/driver.js';
import type { Project } from '../../model/model.js';
import { selectServices } from '../../planner/plan.js';
import { formatPlan } from '../../planner/plan-format.js';
import { EXIT_CANCELLED, exitCodeOf, interruptSignals, reportFailures, withProjectLock, type ApplyArgs } from '../../api/apply.js';
import { Drivers, load } from '../../api/stack.js';
import { converge } from '../../api/converge.js';
import { err, out, styleFor } from '../output.js';
import { planOptionsFrom, previewPlan, type PlanArgs } from './plan.js';

export interface UpArgs extends PlanArgs, ApplyArgs {
  wait?: boolean;
  'wait-timeout'?: number;
  'dry-run'?: boolean;
  watch?: boolean;
  attach?: boolean;
  debounce?: number;
}

/** How long `--wait` watches a service without a healthcheck after it started, to catch one that dies at once. */
const SETTLE_MS = 300;

/**
 * A started service is not "up" if it already ended badly: a replica that exited non-zero (or keeps restarting) fails
 * `--wait`, as with compose. A one-shot that completed (exit 0, restart "no") counts as done.
 */
async function checkStillUp(project: Project, driver: Driver, name: string): Promise<void> {
  const s = project.services[name];
  const { containers } = await driver.observe(project);
  for (const c of containers.filter((x) => x.service === name && !x.oneoff)) {
    if (c.state === 'restarting') throw new UserError(`--wait: ${name} keeps restarting`);
    const ended = c.state === 'exited' || c.state === 'dead';
    if (ended && (c.exitCode !== 0 || s?.restart !== 'no')) {
      throw new UserError(`--wait: ${name} exited${c.exitCode === null ? '' : ` with code ${c.exitCode}`}; see \`surge logs ${name}\``);
    }
  }
}

/** --wait: every selected service running, and healthy where it has a healthcheck. */
export async function waitForServices(project: Project, drivers: Drivers, services: string[], timeoutSeconds: number, abort: AbortSignal): Promise<void> {
  const timeout = AbortSignal.timeout(timeoutSeconds * 1000);
  const signal = AbortSignal.any([timeout, abort]);
  setMaxListeners(0, signal); // one wait per service listens to it
  await Promise.all(
    services.map(async (name) => {
      const s = project.services[name];
      if (!s || s.replicas === 0) return;
      const condition = s.healthcheck && s.healthcheck.test[0] !== 'NONE' ? 'service_healthy' : 'service_started';
      const driver = await drivers.get(s.driver);
      try {
        await driver.waitFor(project, name, condition, { signal, log: () => {} });
        if (condition === 'service_started') {
          await new Promise((r) => setTimeout(r, SETTLE_MS));
          await checkStillUp(project, driver, name);
        }
      } catch (e) {
        if (e instanceof CancelledError && timeout.aborted) {
          throw new UserError(`--wait: ${name} was not ${condition === 'service_healthy' ? 'healthy' : 'running'} after ${timeoutSeconds} s`);
        }
        throw e instanceof UserError ? e : new UserError(`--wait: ${name}: ${errorMessage(e)}`);
      }
    }),
  );
}

export async function run(args: UpArgs): Promise<number> {
  const startedAt = Date.now();
  const { project, inputs } = load(args);
  const options = planOptionsFrom(args);
  const drivers = new Drivers(project);
  try {
    if (args['dry-run']) {
      out(formatPlan(await previewPlan(project, drivers, options), project, styleFor(process.stdout)));
      return 0;
    }
    const code = await withProjectLock(project, args, async () => {
      const reporter = await createReporter(args.progress ?? 'auto');
      const signals = interruptSignals();
      try {
        const { plan, result, imagesFailed } = await converge(project, drivers, options, args, reporter, signals);
        if (!plan.actions.length) {
          reporter.note(options.noRecreate ? `Nothing to do for project ${project.name} (--no-recreate).` : `Project ${project.name} is up to date: the live stack matches the Boltfile.`);
        }
        await reporter.close();
        if (!result.ok || signals.interrupted()) {
          reportFailures(result);
          if (imagesFailed) err('No container, network or volume was changed.');
          return exitCodeOf(result, signals.interrupted());
        }
        if (args.wait) {
          // Nothing is in flight while waiting: the first Ctrl-C ends the wait.
          const interrupt = AbortSignal.any([signals.stopScheduling, signals.abort]);
          try {
            await waitForServices(project, drivers, selectServices(project, args.services, args['no-deps']), args['wait-timeout'] ?? 120, interrupt);
          } catch (e) {
            if (!signals.interrupted()) throw e;
            err('--wait interrupted; the stack is left as it is.');
            return EXIT_CANCELLED;
          }
          err('All services are up.');
        }
        return 0;
      } finally {
        signals.dispose();
      }
    });
    if (code !== 0 || !(args.watch || args.attach)) return code;
    const { watchLoop } = await import('../../watch/watch-loop.js');
    return await watchLoop({ args, initial: { project, inputs }, skipInitialConverge: true, attachOnly: !args.watch, attachSince: startedAt });
  } finally {
    await drivers.close();
  }
}
