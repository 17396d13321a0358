// The fast path of the command line: plain invocations of `up`, `plan` and `down` (the commands run again and again,
// where start-up is most of the time) are parsed here, without loading yargs (a fifth of a no-op `up`'s start-up).
// It takes only words whose meaning to yargs is beyond doubt, read from the same option tables (command-options.ts),
// and gives the handler the arguments yargs would have given it; anything else — help, `--version`, an unknown or
// repeated option, `--flag=value` on a boolean, a value that yargs might coerce, short-option clusters, `--` — makes
// it answer null, and main.ts hands the words to yargs, which decides, explains and fails exactly as before.
// test/unit/cli/fast-argv.test.ts checks both agree on a table of argument vectors and on generated ones.
import type { Options } from 'yargs';
import { DOWN_OPTIONS, GLOBAL_OPTIONS, PLAN_OPTIONS, UP_OPTIONS } from './command-options.js';

export type FastCommandName = 'up' | 'plan' | 'down';

export interface FastCommand {
  command: FastCommandName;
  /** what yargs gives the command's handler, less the aliases and camelCase copies no handler reads */
  args: Record<string, unknown>;
}

const COMMANDS: Record<FastCommandName, { options: Record<string, Options>; services: boolean }> = {
  up: { options: UP_OPTIONS, services: true },
  plan: { options: PLAN_OPTIONS, services: true },
  down: { options: DOWN_OPTIONS, services: false },
};

const isCommand = (word: string): word is FastCommandName => Object.hasOwn(COMMANDS, word);

/** A service name yargs keeps as it is (no number, no option, no quotes it would strip). */
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
/** A number yargs reads as `Number()` does (no sign, exponent, hex or leading zeros). */
const PLAIN_NUMBER = /^(0|[1-9][0-9]*)(\.[0-9]+)?$/;

interface Known {
  name: string;
  spec: Options;
}

/** The option a word names (`--name` or, for an alias of one letter, `-x`), or undefined. */
function lookUp(tables: Record<string, Options>[], word: string): Known | undefined {
  for (const table of tables) {
    for (const [name, spec] of Object.entries(table)) {
      if (word === `--${name}` || (typeof spec.alias === 'string' && word === `-${spec.alias}`)) return { name, spec };
    }
  }
  return undefined;
}

/** An option's value as yargs gives it, or undefined when the word is one the fast path leaves to yargs. */
function valueOf(spec: Options, word: string): unknown {
  if (word === '' || word.startsWith('-') || /^["']/.test(word)) return undefined;
  if (spec.choices) return (spec.choices as readonly unknown[]).includes(word) ? word : undefined;
  if (spec.type === 'number') return PLAIN_NUMBER.test(word) ? Number(word) : undefined;
  return spec.type === 'string' ? word : undefined;
}

/** The command and its arguments when the fast path can take `argv`; null hands it to yargs. */
export function fastCommand(argv: readonly string[]): FastCommand | null {
  let command: FastCommandName | undefined;
  const args: Record<string, unknown> = {};
  const services: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (!word.startsWith('-')) {
      if (!command) {
        if (!isCommand(word)) return null;
        command = word;
      } else if (COMMANDS[command].services && PLAIN_NAME.test(word) && word !== 'true' && word !== 'false') {
        services.push(word);
      } else {
        return null;
      }
      continue;
    }
    // Before the command only the global options are known.
    const tables = command ? [GLOBAL_OPTIONS, COMMANDS[command].options] : [GLOBAL_OPTIONS];
    const eq = word.startsWith('--') ? word.indexOf('=') : -1;
    const known = lookUp(tables, eq < 0 ? word : word.slice(0, eq));
    if (!known) return null;
    const { name, spec } = known;
    if (Object.hasOwn(args, name) && !spec.array) return null;
    if (spec.type === 'boolean') {
      // yargs reads `--wait false` and `--wait=false` as a value: left to it.
      const next = argv[i + 1];
      if (eq >= 0 || next === 'true' || next === 'false') return null;
      args[name] = true;
      continue;
    }
    const raw = eq >= 0 ? word.slice(eq + 1) : argv[++i];
    if (raw === undefined) return null;
    const value = valueOf(spec, raw);
    if (value === undefined) return null;
    args[name] = spec.array ? [...((args[name] as unknown[] | undefined) ?? []), value] : value;
  }
  if (!command) return null;
  for (const table of [GLOBAL_OPTIONS, COMMANDS[command].options] as Record<string, Options>[]) {
    for (const [name, spec] of Object.entries(table)) if (spec.default !== undefined && !Object.hasOwn(args, name)) args[name] = spec.default;
  }
  if (COMMANDS[command].services) args.services = services;
  return { command, args: { _: [command], ...args } };
}
