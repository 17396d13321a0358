#!/usr/bin/env -S node --
// `--`: Node 20 reads `--env-file` anywhere on its command line, even after the script (nodejs/node#54232), and
// would take surge's own `--env-file` for itself.
// The `surge` command as installed (dist/cli/main.js): it answers `--version` itself and runs everything else from the
// command-line bundle (main.ts and all it loads, one CommonJS file) through a V8 code cache (code-cache.ts), which
// saves parsing and compiling it on every start. scripts/bundle.mjs names the bundle here.
import { fileURLToPath } from 'node:url';
import { surgeVersion } from '../model/version.js';
import { runWithCodeCache } from './code-cache.js';
import { restoreOptimizingCompiler } from './short-run-compiler.js';

/** The bundle's file name beside this one, set by the bundler. */
declare const __SURGE_CLI_BUNDLE__: string;

const argv = process.argv.slice(2);
// As in main.ts: `-v` is the version only on its own.
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  process.stdout.write(`${surgeVersion()}\n`);
} else {
  // A cache holds what its run compiled: one from a failed run or from `--help` (yargs, no command) saves a start
  // less (measured on a no-op `up`: ~126 ms CPU from an `up`'s or a `ps`'s cache, ~141 ms from `--help`'s, ~159 ms
  // without), so only a command that ran to success leaves one.
  const asksHelp = argv.includes('--help') || argv.includes('-h');
  runWithCodeCache(fileURLToPath(new URL(`./${__SURGE_CLI_BUNDLE__}`, import.meta.url)), undefined, (write) =>
    process.once('exit', (code) => {
      if (code !== 0 || asksHelp) return;
      // V8 stamps a cache with its flags as they are when the cache is made, and rejects it when the next start's
      // differ: main.ts may have TurboFan off (short-run-compiler.ts), so the default flags come back first.
      restoreOptimizingCompiler();
      write();
    }),
  );
}
