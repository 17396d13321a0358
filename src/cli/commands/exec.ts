import { UserError } from '../../model/errors.js';
import { Drivers, load, observeAll, type GlobalArgs } from '../../api/stack.js';

interface ExecArgs extends GlobalArgs {
  service: string;
  index?: number;
  T?: boolean;
  user?: string;
  workdir?: string;
  env?: string[];
  '--'?: (string | number)[];
}

export function envPairs(list: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of list ?? []) {
    const eq = e.indexOf('=');
    if (eq < 0) {
      const v = process.env[e];
      if (v !== undefined) out[e] = v;
    } else out[e.slice(0, eq)] = e.slice(eq + 1);
  }
  return out;
}

export async function run(args: ExecArgs): Promise<number> {
  const command = (args['--'] ?? []).map(String);
  if (!command.length) throw new UserError('name the command after `--`: surge exec SERVICE -- CMD…');
  const { project } = load(args, { quietWarnings: true });
  const s = project.services[args.service];
  if (!s) throw new UserError(`no such service: ${args.service}`);
  const drivers = new Drivers(project);
  try {
    const observed = await observeAll(project, drivers, new Set([s.driver]));
    const replica = args.index ?? 1;
    const c = observed.containers.find((x) => x.service === s.name && x.replica === replica && !x.oneoff && x.driver === s.driver);
    if (!c) throw new UserError(`service ${s.name} has no replica ${replica}; run \`surge up\` first`);
    if (c.state !== 'running') throw new UserError(`${c.name} is not running (${c.state}); start it with \`surge start ${s.name}\``);
    const driver = await drivers.get(s.driver);
    const tty = !args.T && process.stdin.isTTY === true && process.stdout.isTTY === true;
    return await driver.exec(project, c, command, { interactive: true, tty, user: args.user ?? null, workdir: args.workdir ?? null, env: envPairs(args.env) });
  } finally {
    await drivers.close();
  }
}
