// compose's command-line habits that yargs cannot express, rewritten before yargs reads the words:
// - `-f` is the global --file everywhere except after `logs`, where it means --follow (`docker compose logs -f`),
//   and after `rm`, where it means --force (`docker compose rm -f`);
// - `surge exec web ls -la` / `surge run web ls -la`: everything after the service is the command, options included.

/** global options that take the next word as their value */
const VALUE_OPTIONS = new Set(['-f', '--file', '-p', '--project-name', '--env-file']);

/** Index of the command word (the first word that is neither an option nor an option's value), or -1. */
export function commandIndex(argv: string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === '--') return -1;
    if (VALUE_OPTIONS.has(word)) {
      i++;
      continue;
    }
    if (!word.startsWith('-')) return i;
  }
  return -1;
}

/** what `-f` means after these commands */
const SHORT_F: Record<string, string> = { logs: '--follow', rm: '--force' };

/** After `logs`: `-f` → `--follow` (after `rm`: `--force`), and short clusters such as `-ft` → `--follow -t`. */
export function rewriteShortF(argv: string[]): string[] {
  const at = commandIndex(argv);
  const long = at < 0 ? undefined : SHORT_F[argv[at] as string];
  if (!long) return argv;
  const out = argv.slice(0, at + 1);
  for (let i = at + 1; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (/^-[a-zA-Z]+$/.test(word) && word.includes('f')) {
      out.push(long);
      const rest = word.slice(1).replaceAll('f', '');
      if (rest) out.push(`-${rest}`);
    } else {
      out.push(word);
    }
  }
  return out;
}

/** exec/run options that take the next word as their value (see their builders in main.ts) */
const EXEC_VALUE_OPTIONS = new Set([...VALUE_OPTIONS, '--index', '-u', '--user', '-w', '--workdir', '-e', '--env', '--entrypoint', '--progress']);

/** After `exec SERVICE` or `run SERVICE`, a `--` goes in when the user did not write one: the rest is the command. */
export function splitServiceCommand(argv: string[]): string[] {
  const at = commandIndex(argv);
  if (at < 0 || (argv[at] !== 'exec' && argv[at] !== 'run') || argv.includes('--')) return argv;
  for (let i = at + 1; i < argv.length; i++) {
    const word = argv[i] as string;
    if (EXEC_VALUE_OPTIONS.has(word)) {
      i++;
      continue;
    }
    if (word.startsWith('-')) continue;
    return i + 1 < argv.length ? [...argv.slice(0, i + 1), '--', ...argv.slice(i + 1)] : argv;
  }
  return argv;
}
