// The fast path (src/cli/fast-argv.ts) must give a command's handler exactly what yargs gives it, and hand to yargs
// every argument vector it is not sure of. Both are run here on the same words: yargs through the CLI's real
// definition, with handlers that record their arguments instead of running the command.
import { describe, expect, it } from 'vitest';
import { defineCli } from '../../../src/cli/cli-definition.js';
import type { HandlerFor } from '../../../src/cli/command-kit.js';
import { DOWN_OPTIONS, GLOBAL_OPTIONS, PLAN_OPTIONS, UP_OPTIONS } from '../../../src/cli/command-options.js';
import { rewriteShortF, splitServiceCommand } from '../../../src/cli/compose-argv.js';
import { fastCommand } from '../../../src/cli/fast-argv.js';

/** Aliases and camelCase copies yargs adds beside each option: no handler reads them. */
const COPIES = new Set(
  [GLOBAL_OPTIONS, UP_OPTIONS, PLAN_OPTIONS, DOWN_OPTIONS].flatMap((table) =>
    Object.entries(table).flatMap(([name, spec]) => [
      ...(name.includes('-') ? [name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] : []),
      ...('alias' in spec && typeof spec.alias === 'string' ? [spec.alias] : []),
    ]),
  ),
);

type Outcome = { args: Record<string, unknown> } | { error: string };

/** What yargs hands the command's handler for `argv` (as main.ts gives it the words), or its usage error. */
async function viaYargs(argv: string[]): Promise<Outcome> {
  let seen: Record<string, unknown> | undefined;
  const record: HandlerFor = () => async (args) => {
    seen = args as Record<string, unknown>;
  };
  try {
    await defineCli(splitServiceCommand(rewriteShortF(argv)), record)
      .exitProcess(false)
      .fail((msg, error) => {
        throw error ?? new Error(msg);
      })
      .parseAsync();
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  if (!seen) return { error: 'no command ran' };
  const args = Object.fromEntries(Object.entries(seen).filter(([k, v]) => k !== '$0' && !COPIES.has(k) && v !== undefined));
  return { args };
}

function viaFastPath(argv: string[]): Outcome | null {
  const fast = fastCommand(splitServiceCommand(rewriteShortF(argv)));
  return fast ? { args: fast.args } : null;
}

const TAKEN: string[][] = [
  ['up'],
  ['up', '--progress', 'quiet'],
  ['up', '-d'],
  ['up', 'web', 'worker', '--no-deps'],
  ['up', 'web', '--wait', 'worker'],
  ['up', '--wait', '--wait-timeout', '30'],
  ['up', '--wait-timeout=2.5'],
  ['-p', 'demo', 'up'],
  ['-p', 'up', 'up'],
  ['up', '--project-name', 'x'],
  ['up', '--project-name=a=b'],
  ['-f', 'a.toml', '-f', 'b.toml', 'up'],
  ['up', '--file=a.toml', '-f', 'dir/b.toml'],
  ['up', '--driver', 'swarm'],
  ['--driver=docker', 'up'],
  ['up', '-H', 'tcp://127.0.0.1:2375'],
  ['-H', 'unix:///var/run/docker.sock', 'down'],
  ['up', '--profile', 'dev', '--profile', 'ops'],
  ['up', '--env-file', '.env.x', '--env-file=.env.y'],
  ['up', '--pull', 'never', '--build'],
  ['up', '--dry-run'],
  ['up', '--attach', '--exit-code-from', 'web'],
  ['up', '--abort-on-container-exit', '--remove-orphans', '--force-recreate', '--no-recreate'],
  ['up', '-t', '5', '--parallel', '4', '--lock-timeout', '0'],
  ['up', '--parallel', '0'],
  ['up', '--debounce', '100', '--watch'],
  ['up', 'svc_1.a-b', 'Web'],
  ['plan'],
  ['plan', '--json'],
  ['plan', '-o', 'plan.json', '--detailed-exitcode'],
  ['plan', '--out=p.json', 'web', '--remove-orphans', '--force-recreate'],
  ['plan', '--no-recreate', '--no-deps', '--build', '--pull', 'always'],
  ['down'],
  ['down', '-v'],
  ['down', '--volumes', '--rmi', 'local', '-t', '3'],
  ['down', '--remove-orphans', '--progress', 'plain', '--parallel', '2', '--lock-timeout', '1.5'],
  ['-p', 'demo', 'down', '--rmi=all'],
];

const REFUSED: string[][] = [
  [],
  ['--help'],
  ['up', '--help'],
  ['up', '-h'],
  ['--version'],
  ['up', '--version'],
  ['ps'],
  ['logs', '-f'],
  ['upp'],
  ['status'],
  ['up', '--wait', 'false'],
  ['up', '--detach', 'true'],
  ['up', '--wait=true'],
  ['up', '--no-deps=false'],
  ['up', '--wait', '--wait'],
  ['plan', '--json', '--json'],
  ['up', '-t', '5', '-t', '6'],
  ['-p', 'a', 'up', '-p', 'b'],
  ['up', '--progress', 'loud'],
  ['up', '--progress'],
  ['up', '-p'],
  ['up', '--parallel', 'abc'],
  ['up', '--parallel', '-1'],
  ['up', '--parallel', '1e3'],
  ['up', '--parallel', '010'],
  ['up', '--parallel', '0x10'],
  ['up', '--parallel', ''],
  ['up', '--unknown'],
  ['up', '--noDeps'],
  ['up', '--d'],
  ['up', '-dw'],
  ['up', '-p=x'],
  ['up', '--', 'x'],
  ['up', '--project-name', ''],
  ['up', '--project-name', '-x'],
  ['up', '--project-name', '"x"'],
  ['up', '123'],
  ['up', '1web'],
  ['up', 'true'],
  ['up', '"web"'],
  ['up', 'a b'],
  ['--wait', 'up'],
  ['-d', 'up'],
  ['down', 'web'],
  ['down', '--wait'],
  ['plan', '--progress', 'quiet'],
  ['up', '--rmi', 'all'],
  ['down', '--json'],
];

describe('the fast path of the command line', () => {
  it('gives up, plan and down the arguments yargs gives them', async () => {
    for (const argv of TAKEN) {
      const fast = viaFastPath(argv);
      expect(fast, `fast path refused ${JSON.stringify(argv)}`).not.toBeNull();
      expect(fast, JSON.stringify(argv)).toEqual(await viaYargs(argv));
    }
  });

  it('hands to yargs whatever it is not sure of: help, versions, other commands, unknown, repeated or doubtful words', () => {
    for (const argv of REFUSED) expect(viaFastPath(argv), JSON.stringify(argv)).toBeNull();
  });

  it('agrees with yargs on generated argument vectors whenever it takes them', async () => {
    const words = [
      'up', 'plan', 'down', 'ps', 'web', 'db', '--wait', '-d', '--detach', '--no-deps', '-v', '--volumes', '--json',
      '-t', '5', '--timeout', '-1', '--parallel', '2', 'abc', '--progress', 'quiet', 'json', '--pull', 'never',
      '-p', 'proj', '-f', 'x.toml', '--file=y.toml', '--driver', 'swarm', '--profile', 'dev', '-H', 'tcp://h:1',
      '--rmi', 'local', '-o', 'out.json', '--dry-run', '--wait-timeout=3', 'true', 'false', '--', '--help', '',
    ];
    // A fixed-seed generator: the same vectors on every run.
    let seed = 0x2545f491;
    const next = (n: number) => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    let taken = 0;
    for (let i = 0; i < 400; i++) {
      const argv = [['up', 'plan', 'down'][next(3)] as string];
      for (let n = next(6); n > 0; n--) argv.splice(next(argv.length + 1), 0, words[next(words.length)] as string);
      const fast = viaFastPath(argv);
      if (!fast) continue;
      taken++;
      expect(fast, JSON.stringify(argv)).toEqual(await viaYargs(argv));
    }
    // Enough of them are taken for the comparison to mean something.
    expect(taken).toBeGreaterThan(60);
  });
});
