import { runOneOff } from '../../api/run.js';
import { UserError } from '../../model/errors.js';
import { open, withStack, type GlobalArgs } from '../context.js';
import { runOperation, type ApplyArgs } from '../operation.js';
import { envPairs } from './exec.js';
import { splitShellWords } from '../../model/shell-words.js';

interface RunArgs extends GlobalArgs, ApplyArgs {
  service: string;
  rm?: boolean;
  'no-deps'?: boolean;
  T?: boolean;
  user?: string;
  workdir?: string;
  entrypoint?: string;
  env?: string[];
  '--'?: (string | number)[];
}

export async function run(args: RunArgs): Promise<number> {
  const command = (args['--'] ?? []).map(String);
  let entrypoint: string[] | null = null;
  if (args.entrypoint !== undefined) {
    const split = splitShellWords(args.entrypoint);
    if (!split.ok) throw new UserError(`--entrypoint: ${split.message}`);
    entrypoint = split.words;
  }
  const tty = !args.T && process.stdin.isTTY === true && process.stdout.isTTY === true;
  return withStack(await open(args), async (stack) => {
    let exitCode: number | null = null;
    const code = await runOperation(args, async ({ control }) => {
      const r = await runOneOff(stack, args.service, {
        ...control,
        noDeps: args['no-deps'] ?? false,
        remove: args.rm ?? false,
        command: command.length ? command : null,
        entrypoint,
        interactive: true,
        tty,
        user: args.user ?? null,
        workdir: args.workdir ?? null,
        env: envPairs(args.env),
      });
      exitCode = r.exitCode;
      return r.prepared;
    });
    return code !== 0 ? code : (exitCode ?? 1);
  });
}
