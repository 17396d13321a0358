import { execIn } from '../../api/run.js';
import { UserError } from '../../model/errors.js';
import { open, withStack, type GlobalArgs } from '../context.js';

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
  const tty = !args.T && process.stdin.isTTY === true && process.stdout.isTTY === true;
  return withStack(await open(args, { quietWarnings: true }), (stack) =>
    execIn(stack, args.service, command, { index: args.index ?? 1, interactive: true, tty, user: args.user ?? null, workdir: args.workdir ?? null, env: envPairs(args.env) }),
  );
}
