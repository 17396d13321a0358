import { top } from '../../api/inspect.js';
import { open, withStack, type GlobalArgs } from '../context.js';
import { err, out } from '../output.js';
import { table } from '../render/table.js';
import { compareText } from '../../model/order.js';

/**
 * One table for every replica, as compose prints it: SERVICE and # (replica) first, then the engine's columns,
 * CMD last.
 */
export async function run(args: GlobalArgs & { services?: string[] }): Promise<number> {
  return withStack(await open(args, { quietWarnings: true }), async (stack) => {
    const r = await top(stack, { services: args.services ?? [] });
    const titles: string[] = [];
    for (const { table: t } of r.replicas) for (const title of t.titles) if (!titles.includes(title)) titles.push(title);
    const cmd = titles.indexOf('CMD');
    if (cmd >= 0) titles.push(...titles.splice(cmd, 1));
    const rows = [['SERVICE', '#', ...titles]];
    for (const { container, table: t } of [...r.replicas].sort((a, b) => compareText(a.container.name, b.container.name))) {
      for (const p of t.processes) rows.push([container.service, String(container.replica), ...titles.map((title) => p[t.titles.indexOf(title)] ?? '-')]);
    }
    if (rows.length > 1) out(table(rows));
    else if (!r.notApplicable.length) err(`Nothing of project ${stack.project.name} is running.`);
    if (r.notApplicable.length) err(`top does not apply on this target to: ${r.notApplicable.join(', ')}`);
    return 0;
  });
}
