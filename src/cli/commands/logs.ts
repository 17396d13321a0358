import { logs, type LogLine } from '../../api/status.js';
import { UserError } from '../../model/errors.js';
import { parseDuration } from '../../model/units.js';
import { open, withStack, type GlobalArgs } from '../context.js';
import { EXIT_CANCELLED } from '../interrupt.js';

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

/** Prefixes each line with its container's name, padded to the longest seen so far, coloured on a terminal. */
export function linePrinter(options: { color: boolean; prefix: boolean; timestamps: boolean }): (l: LogLine) => void {
  const colorOf = new Map<string, string>();
  let width = 0;
  return (l) => {
    width = Math.max(width, l.container.length);
    let prefix = '';
    if (options.prefix) {
      prefix = `${l.container.padEnd(width)} | `;
      if (options.color) {
        if (!colorOf.has(l.container)) colorOf.set(l.container, `\u001b[${COLORS[colorOf.size % COLORS.length]}m`);
        prefix = `${colorOf.get(l.container)}${prefix}\u001b[39m`;
      }
    }
    const ts = options.timestamps && l.timestamp ? `${l.timestamp} ` : '';
    (l.stream === 'stderr' ? process.stderr : process.stdout).write(`${prefix}${ts}${l.text}\n`);
  };
}

export async function run(args: LogsArgs): Promise<number> {
  const controller = new AbortController();
  let interrupted = false;
  const onSignal = (): void => {
    interrupted = true;
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await withStack(await open(args, { quietWarnings: true }), async (stack) => {
      const color = process.stdout.isTTY === true && !args['no-color'] && !process.env.NO_COLOR;
      await logs(
        stack,
        {
          services: args.services ?? [],
          follow: args.follow ?? false,
          tail: args.tail ?? null,
          since: args.since ? parseSince(args.since) : null,
          timestamps: args.timestamps ?? false,
          signal: controller.signal,
          // As compose's `logs -f`: new and recreated replicas are followed too, an exit is said, and following
          // ends once everything it followed has stopped.
          untilStopped: true,
          onStatus: (container, message) => process.stdout.write(`${container} ${message}\n`),
        },
        linePrinter({ color, prefix: !args['no-log-prefix'], timestamps: args.timestamps ?? false }),
      );
      // Ctrl-C ends following: exit 130, as every interrupted command does.
      return interrupted ? EXIT_CANCELLED : 0;
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
