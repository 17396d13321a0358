import { events } from '../../api/live.js';
import { open, withStack, type GlobalArgs } from '../context.js';
import { err, out } from '../output.js';
import { untilInterrupted } from '../until-interrupted.js';

/** compose's text line: "2024-01-02 15:04:05.123456 container start ID (image=…, name=…)". */
export function eventLine(e: { time: string; action: string; id: string; attributes: Record<string, string> }): string {
  const t = `${e.time.slice(0, 10)} ${e.time.slice(11, 26)}`;
  const attrs = Object.keys(e.attributes)
    .sort()
    .map((k) => `${k}=${e.attributes[k]}`)
    .join(', ');
  return `${t} container ${e.action} ${e.id} (${attrs})`;
}

export async function run(args: GlobalArgs & { services?: string[]; json?: boolean }): Promise<number> {
  return withStack(await open(args, { quietWarnings: true }), (stack) =>
    untilInterrupted(async (signal) => {
      await events(stack, { services: args.services ?? [], signal, onNotice: err }, (e) => {
        out(args.json ? JSON.stringify({ time: e.time, type: e.type, service: e.service, id: e.id, action: e.action, attributes: e.attributes }) : eventLine(e));
      });
      return 0;
    }),
  );
}
