// `logs`: what the replicas printed, and with `follow`, what they print next. Following watches the stack as well
// as the streams (it observes it every second): a replica created after following began (`scale`, `up`) is
// followed from its first line, a recreated one from its new container's first line (and it is said), a restarted
// container from where its output resumes; an exit is said with its code, as compose's `logs -f` says them.
import { setMaxListeners } from 'node:events';
import type { LogLine, LogOptions } from '../drivers/driver.js';
import { UserError } from '../model/errors.js';
import type { ObservedContainer } from '../model/observed.js';
import { selectServices } from '../planner/plan.js';
import type { Stack } from './stack.js';

export type { LogLine };

/**
 * Which output `logs` streams (services, tail, since, timestamps) and whether it follows, new and recreated replicas
 * too, until the signal aborts.
 */
export interface LogsOptions {
  services?: string[];
  follow?: boolean;
  /** lines from the end of each log */
  tail?: number | null;
  /** unix seconds */
  since?: number | null;
  timestamps?: boolean;
  /** ends following */
  signal?: AbortSignal;
  /**
   * With `follow`: something happened to a replica that is not a line of output — "exited with code 0", "has been
   * recreated" — said as compose says it.
   */
  onStatus?: (container: string, message: string) => void;
  /**
   * With `follow`: stop once every replica that ran while following has stopped (compose's `logs -f`). Default:
   * follow until `signal` aborts.
   */
  untilStopped?: boolean;
  /** with `follow`: how often the stack is observed for new, recreated and exited replicas, ms (default 1000) */
  pollMs?: number;
}

const running = (c: ObservedContainer): boolean => c.state === 'running' || c.state === 'restarting' || c.state === 'paused';

interface Followed {
  container: ObservedContainer;
  /** the stream of its output, until it ends (a container's ends when it stops) or is aborted */
  stream: AbortController | null;
  /** when its stream ended, unix seconds with a fraction (a restarted container resumes from there) */
  endedAt: number | null;
  /** its exit was said */
  exitSaid: boolean;
  /** polls that found it ended with no exit code yet (a host process's is written a moment later) */
  exitPolls: number;
  /** when a poll first found it stopped, unix seconds; null while it runs */
  stoppedAt: number | null;
  /** when its last line came, unix seconds */
  lastLineAt: number | null;
}

function followed(container: ObservedContainer, exitSaid: boolean): Followed {
  return { container, stream: null, endedAt: null, exitSaid, exitPolls: 0, stoppedAt: null, lastLineAt: null };
}

/** Streams the output of the stack's replicas to `onLine`; with `follow`, until `signal` aborts. */
export async function logs(stack: Stack, options: LogsOptions, onLine: (line: LogLine) => void): Promise<void> {
  const observed = await stack.observe();
  const wanted = new Set(options.services?.length ? selectServices(stack.project, options.services, true) : observed.containers.map((c) => c.service));
  const select = (list: ObservedContainer[]): ObservedContainer[] => list.filter((c) => !c.oneoff && wanted.has(c.service));
  const containers = select(observed.containers);
  // A Swarm keeps its logs per service, from every node; following them follows new tasks too.
  const swarm = (observed.swarmServices ?? []).map((s) => s.service).filter((s) => !options.services?.length || wanted.has(s));
  if (!containers.length && !swarm.length) {
    throw new UserError(`no containers or processes for ${options.services?.length ? options.services.join(', ') : `project ${stack.project.name}`}; run \`surge up\` first`, 'precondition');
  }
  const signal = options.signal ?? new AbortController().signal;
  setMaxListeners(0, signal); // one stream per container listens to it
  const base: LogOptions = { follow: options.follow ?? false, tail: options.tail ?? null, since: options.since ?? null, timestamps: options.timestamps ?? false };
  const swarmLogs = swarm.length ? (async () => (await stack.driver('swarm')).serviceLogs?.(stack.project, swarm, base, onLine, signal))() : Promise.resolve();
  if (!containers.length) return swarmLogs;
  if (!options.follow) {
    await Promise.all([swarmLogs, ...containers.map(async (c) => (await stack.driver(c.driver)).logs(stack.project, [c], base, onLine, signal))]);
    return;
  }
  await Promise.all([swarmLogs, follow(stack, containers, base, options, signal, select, onLine)]);
}

async function follow(
  stack: Stack,
  initial: ObservedContainer[],
  base: LogOptions,
  options: LogsOptions,
  signal: AbortSignal,
  select: (list: ObservedContainer[]) => ObservedContainer[],
  onLine: (line: LogLine) => void,
): Promise<void> {
  const status = options.onStatus ?? ((): void => {});
  const tracked = new Map<string, Followed>();
  const streams = new Set<Promise<void>>();
  /** replicas removed while following: one that comes back under the same name was recreated */
  const gone = new Set<string>();
  let everRan = initial.some(running);
  const key = (c: ObservedContainer): string => `${c.driver}:${c.name}`;

  const attach = (f: Followed, logOptions: LogOptions): void => {
    const controller = new AbortController();
    f.stream = controller;
    f.endedAt = null;
    const p = (async () => {
      try {
        const driver = await stack.driver(f.container.driver);
        const line = (l: LogLine): void => {
          f.lastLineAt = Date.now() / 1000;
          onLine(l);
        };
        await driver.logs(stack.project, [f.container], logOptions, line, AbortSignal.any([signal, controller.signal]));
      } catch {
        // A container removed between observing it and reading it has nothing more to say.
      }
      if (f.stream === controller) {
        f.stream = null;
        f.endedAt = Date.now() / 1000;
      }
    })();
    streams.add(p);
    void p.finally(() => streams.delete(p));
  };

  for (const c of initial) {
    const f = followed(c, !running(c));
    tracked.set(key(c), f);
    attach(f, base);
  }
  // What is new from now on is shown whole: the options' tail and since were for what was there already.
  const fresh: LogOptions = { ...base, tail: null, since: null };
  const pollMs = options.pollMs ?? 1000;
  while (!signal.aborted) {
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, pollMs);
      signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
    });
    if (signal.aborted) break;
    let now: ObservedContainer[];
    try {
      now = select((await stack.observe()).containers);
    } catch {
      continue; // the engine away for a moment: the streams say what they can, the next poll tries again
    }
    for (const c of now) {
      const f = tracked.get(key(c));
      if (running(c)) everRan = true;
      if (!f) {
        // Created, not started: nothing to read yet (a replacement under its temporary name, or `surge create`).
        if (c.state === 'created') continue;
        if (gone.has(key(c))) status(c.name, 'has been recreated');
        gone.delete(key(c));
        const added = followed(c, false);
        tracked.set(key(c), added);
        attach(added, fresh);
        continue;
      }
      const replaced = f.container.id !== c.id;
      const previous = f.container;
      f.container = c;
      // A host process gets a new id on every start, but its output is one file its stream keeps reading.
      if (replaced && (c.driver !== 'process' || previous.configHash !== c.configHash)) status(c.name, 'has been recreated');
      if (replaced && c.driver !== 'process') {
        f.stream?.abort();
        f.exitSaid = false;
        attach(f, fresh);
        continue;
      }
      if (running(c)) {
        f.exitSaid = false;
        // A restarted container. Its previous stream usually ended when it stopped, but after a quick restart the
        // engine may leave it open and silent: read anew, from its new run's first line by the engine's clock. (When
        // this process noticed the stop or the end of the stream can be late on a busy machine, after the new run's
        // first lines, which that cut-off would skip; it stays the cut-off only where the engine does not say.)
        if (c.driver !== 'process' && (f.stoppedAt !== null || (!f.stream && f.endedAt !== null))) {
          f.stream?.abort();
          attach(f, { ...fresh, since: Math.max(f.stoppedAt ?? 0, f.endedAt ?? 0, f.lastLineAt ?? 0), fromRunStart: true });
        }
        f.stoppedAt = null;
        continue;
      }
      f.stoppedAt ??= Date.now() / 1000;
      if (!f.exitSaid && (c.state === 'exited' || c.state === 'dead') && (c.exitCode !== null || f.exitPolls++ >= 2)) {
        f.exitSaid = true;
        status(c.name, c.exitCode === null ? 'exited' : `exited with code ${c.exitCode}`);
      }
    }
    const present = new Set(now.map(key));
    for (const [k, f] of tracked) {
      if (present.has(k)) continue;
      // Removed: its stream has ended or ends now. A replacement may take its name in a moment (a recreate).
      f.stream?.abort();
      tracked.delete(k);
      gone.add(k);
    }
    if (options.untilStopped && everRan && now.every((c) => !running(c)) && [...tracked.values()].every((f) => f.exitSaid || !f.stream)) break;
  }
  for (const f of tracked.values()) if (!signal.aborted) f.stream?.abort();
  await Promise.all([...streams]);
}
