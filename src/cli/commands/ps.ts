import { status } from '../../api/status.js';
import { swarmTasks } from '../../api/swarm-status.js';
import type { ContainerState, ObservedContainer } from '../../model/observed.js';
import { open, withStack, type GlobalArgs } from '../context.js';
import { out } from '../output.js';
import { table } from '../render/table.js';
import { compareText } from '../../model/order.js';

interface PsArgs extends Omit<GlobalArgs, 'services' | 'service'> {
  service?: string[];
  /** --services: only the services' names */
  services?: boolean;
  format?: 'table' | 'json';
  all?: boolean;
  quiet?: boolean;
  status?: ContainerState[];
}

function stateText(c: ObservedContainer): string {
  if (c.state === 'exited' && c.exitCode !== null) return `exited (${c.exitCode})`;
  return c.state;
}

export async function run(args: PsArgs): Promise<number> {
  // `--services` here lists services' names; the services it names to select are `service`.
  return withStack(await open({ ...args, service: undefined, services: args.service ?? [] }, { quietWarnings: true }), async (stack) => {
    let containers = await status(stack, { services: args.service ?? [], all: args.all ?? false });
    // A Swarm's tasks (its state names are its own: --status filters containers and host processes).
    let tasks = await swarmTasks(stack, { services: args.service ?? [], all: args.all ?? false });
    if (args.status?.length) {
      const wanted = new Set(args.status);
      containers = containers.filter((c) => wanted.has(c.state));
      tasks = tasks.filter((t) => wanted.has(t.state as ContainerState));
    }
    if (args.quiet) {
      // A container's id; a host process is known to the system by its pid (none once it has ended); a task's id.
      for (const c of containers) {
        const id = c.driver === 'process' ? c.pid : c.id;
        if (id !== null) out(String(id));
      }
      for (const t of tasks) out(t.id);
      return 0;
    }
    if (args.services) {
      const names = [...new Set([...[...containers].sort((a, b) => compareText(a.name, b.name)).map((c) => c.service), ...tasks.map((t) => t.service)])];
      if (names.length) out(names.join('\n'));
      return 0;
    }
    if (args.format === 'json') {
      out(
        JSON.stringify(
          [...containers.map((c) => ({
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
          })), ...tasks.map((t) => ({ ...t, driver: 'swarm' }))],
          null,
          2,
        ),
      );
      return 0;
    }
    if (tasks.length) {
      // A Swarm's tasks: where each runs, what it should be and what it is, and its error in the Swarm's words.
      const rows = [['TASK', 'SERVICE', 'NODE', 'DESIRED', 'STATE', 'ERROR', 'IMAGE', 'PORTS']];
      for (const t of tasks) rows.push([t.name, t.service, t.node ?? '-', t.desiredState, t.state, t.error ?? '', t.image, t.ports.join(', ')]);
      out(table(rows));
      if (!containers.length) return 0;
      out('');
    }
    if (!containers.length) {
      out(args.status?.length ? `No container or process of project ${stack.project.name} is ${args.status.join(' or ')}.` : `Project ${stack.project.name} has nothing running. Start it with \`surge up\`.`);
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
