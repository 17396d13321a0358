import { status } from '../../api/status.js';
import type { ObservedContainer } from '../../model/observed.js';
import { open, withStack, type GlobalArgs } from '../context.js';
import { out } from '../output.js';

interface PsArgs extends GlobalArgs {
  services?: string[];
  format?: 'table' | 'json';
  all?: boolean;
}

function stateText(c: ObservedContainer): string {
  if (c.state === 'exited' && c.exitCode !== null) return `exited (${c.exitCode})`;
  return c.state;
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('   ').trimEnd()).join('\n');
}

export async function run(args: PsArgs): Promise<number> {
  return withStack(await open(args, { quietWarnings: true }), async (stack) => {
    const containers = await status(stack, { services: args.services ?? [], all: args.all ?? false });
    if (args.format === 'json') {
      out(
        JSON.stringify(
          containers.map((c) => ({
            service: c.service,
            name: c.name,
            state: c.state,
            health: c.health,
            image: c.image,
            ports: c.ports,
            driver: c.driver,
            pid: c.pid,
            exitCode: c.exitCode,
            replica: c.replica,
            ...(c.problems.length ? { problems: c.problems } : {}),
          })),
          null,
          2,
        ),
      );
      return 0;
    }
    if (!containers.length) {
      out(`Project ${stack.project.name} has nothing running. Start it with \`surge up\`.`);
      return 0;
    }
    const rows = [['NAME', 'SERVICE', 'STATE', 'HEALTH', 'IMAGE / PID', 'PORTS']];
    for (const c of containers) {
      rows.push([c.name, c.service, stateText(c), c.health ?? '-', c.driver === 'process' ? `pid ${c.pid ?? '-'}` : (c.image ?? '-'), c.ports.join(', ')]);
    }
    out(table(rows));
    for (const c of containers) for (const p of c.problems) out(`! ${c.name}: ${p}`);
    return 0;
  });
}
