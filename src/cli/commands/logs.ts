import { setMaxListeners } from 'node:events';
import type { LogLine } from '../../drivers/driver.js';
import { UserError } from '../../model/errors.js';
import { parseDuration } from '../../planner/load/units.js';
import type { DriverKind } from '../../model/model.js';
import { selectServices } from '../../planner/plan.js';
import { Drivers, load, observeAll, type GlobalArgs } from '../../api/stack.js';

interface LogsArgs extends GlobalArgs {
  services?: string[];
  follow?: boolean;
  tail?: number;
  since?: string;
  timestamps?: boolean;
  'no-color'?: boolean;
  'no-log-prefix'?: boolean;
}

const COLORS = [36, 33, 32, 35, 34, 96, 93, 92, 95, 94];

/** RFC 3339, unix seconds, or a duration ("10m") back from now → unix seconds. */
export function parseSince(text: string, now = Date.now()): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Math.floor(Number(text));
  const d = parseDuration(text);
  if (d.ok && /[a-z]$/i.test(text)) return Math.floor((now - d.value) / 1000);
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new UserError(`invalid --since "${text}": use a time (2026-01-02T15:04:05Z), unix seconds, or a duration like 10m`);
  return Math.floor(t / 1000);
}

export async function run(args: LogsArgs): Promise<number> {
  const { project } = load(args, { quietWarnings: true });
  const drivers = new Drivers(project);
  const controller = new AbortController();
  setMaxListeners(0, controller.signal); // one stream per container listens to it
  const onSignal = (): void => controller.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const observed = await observeAll(project, drivers);
    const wanted = new Set(args.services?.length ? selectServices(project, args.services, true) : observed.containers.map((c) => c.service));
    const containers = observed.containers.filter((c) => !c.oneoff && wanted.has(c.service));
    if (!containers.length) throw new UserError(`no containers or processes for ${args.services?.length ? args.services.join(', ') : `project ${project.name}`}; run \`surge up\` first`);
    const color = process.stdout.isTTY && !args['no-color'] && !process.env.NO_COLOR;
    const names = [...new Set(containers.map((c) => c.name))].sort();
    const width = Math.max(...names.map((n) => n.length));
    const prefixOf = new Map(
      names.map((n, i) => {
        const p = `${n.padEnd(width)} | `;
        return [n, color ? `\u001b[${COLORS[i % COLORS.length]}m${p}\u001b[39m` : p];
      }),
    );
    const print = (l: LogLine): void => {
      const prefix = args['no-log-prefix'] ? '' : (prefixOf.get(l.container) ?? `${l.container} | `);
      const ts = args.timestamps && l.timestamp ? `${l.timestamp} ` : '';
      (l.stream === 'stderr' ? process.stderr : process.stdout).write(`${prefix}${ts}${l.text}\n`);
    };
    const options = {
      follow: args.follow ?? false,
      tail: args.tail ?? null,
      since: args.since ? parseSince(args.since) : null,
      timestamps: args.timestamps ?? false,
    };
    const byDriver = new Map<DriverKind, typeof containers>();
    for (const c of containers) byDriver.set(c.driver, [...(byDriver.get(c.driver) ?? []), c]);
    await Promise.all([...byDriver.entries()].map(async ([kind, list]) => (await drivers.get(kind)).logs(project, list, options, print, controller.signal)));
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await drivers.close();
  }
}
