// Bundles tsc's output (build/) into dist/, what ships: the `surge` command (dist/cli/main.js) and the library
// (dist/index.js, with its declarations in dist/types/), sharing chunks. tsc compiles and type-checks; esbuild only
// joins its modules: a command then loads a handful of files instead of some 250 ESM modules (zod alone is 99),
// which took a third of every command's start-up (a no-op `surge up`: 530 ms → 370 ms on a 2-core machine).
// Command modules stay separate chunks, loaded lazily. dockerode stays outside: it is loaded only for streams, and
// it finds its gRPC .proto files next to its own code.
//
// A rebuild never leaves a moment without a working `surge` (engine tests may run it while `npm test` rebuilds):
// the bundle is made beside dist/, then moved in file by file with rename(2), which replaces each file atomically —
// content-hashed chunks first, the entry points last — so a process starting at any moment loads either the old
// build or the new one, whole. The previous build's files stay one more build (a running `surge watch` may still
// load one of its lazy chunks); older ones go. dist/.build-files.json lists the current build's files.
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { build } from 'esbuild';
import { startupPlugin } from './bundle-startup.mjs';

const DIST = 'dist';
const MANIFEST = '.build-files.json';
/** Loaded first by whoever runs surge: moved in last, once everything they import is in place. */
const ENTRIES = ['cli/main.js', 'index.js'];

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const next = `${DIST}.next-${process.pid}`;
rmSync(next, { recursive: true, force: true });
try {
  await build({
    entryPoints: { 'cli/main': 'build/cli/main.js', index: 'build/index.js' },
    outdir: next,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['dockerode'],
    sourcemap: true,
    // CommonJS dependencies call require() for Node's modules; an ES module has none of its own.
    banner: { js: "import { createRequire as __surgeCreateRequire } from 'node:module'; const require = __surgeCreateRequire(import.meta.url);" },
    // surge's version, known at build time: no package.json lookup at run time.
    define: { __SURGE_VERSION__: JSON.stringify(version) },
    logLevel: 'warning',
    plugins: [startupPlugin],
  });
  chmodSync(join(next, 'cli/main.js'), 0o755);
  // The library's types, as tsc declared them (only the .d.ts files; the modules they describe are bundled).
  cpSync('build/types', join(next, 'types'), { recursive: true, filter: (src) => !src.endsWith('.map') });
  swapIn(next, DIST);
} finally {
  rmSync(next, { recursive: true, force: true });
}

/** Files under `dir`, relative to it. */
function filesIn(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath ?? e.path, e.name)));
}

function swapIn(from, to) {
  const previous = existsSync(join(to, MANIFEST)) ? JSON.parse(readFileSync(join(to, MANIFEST), 'utf8')) : [];
  const files = filesIn(from);
  const isEntry = (f) => ENTRIES.some((e) => f === e || f === `${e}.map`);
  for (const f of [...files.filter((x) => !isEntry(x)), ...files.filter(isEntry)]) {
    mkdirSync(dirname(join(to, f)), { recursive: true });
    renameSync(join(from, f), join(to, f));
  }
  // Kept: this build's files and the previous build's; anything older goes (empty folders too).
  const keep = new Set([...files, ...previous, MANIFEST]);
  for (const f of filesIn(to)) if (!keep.has(f)) rmSync(join(to, f), { force: true });
  const folders = readdirSync(to, { recursive: true, withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(e.parentPath ?? e.path, e.name));
  for (const d of folders.sort((a, b) => b.length - a.length)) if (!readdirSync(d).length) rmdirSync(d);
  writeFileSync(join(to, MANIFEST), `${JSON.stringify(files.sort(), null, 1)}\n`);
}
