// Bundles tsc's output (build/) into dist/, what ships: the `surge` command and the library (dist/index.js, with
// its declarations in dist/types/). tsc compiles and type-checks; esbuild only joins its modules: a command then
// loads a handful of files instead of some 250 ESM modules (zod alone is 99), which took a third of every command's
// start-up (a no-op `surge up`: 530 ms → 370 ms on a 2-core machine). dockerode stays outside: it is loaded only for
// streams, and it finds its gRPC .proto files next to its own code.
//
// The command is two files: dist/cli/main.js, a small ES module that answers `--version` and otherwise runs
// dist/cli/surge-HASH.cjs, the whole command line as one CommonJS file, through a V8 code cache (src/cli/code-cache.ts).
// One file, because V8 can cache the compiled code of a script but Node 20 has no such cache for ES modules; on a
// no-op `surge up` parsing and compiling were ~25 ms and the ES module loader's work per chunk (~35 of them) ~7 ms.
// Inside that file a command's modules are still evaluated only when it runs (esbuild turns their import() into a
// lazy initializer); V8 compiles a function's body only when it is first called, or takes it from the cache.
// The library stays ES modules, in chunks, as before.
//
// A rebuild never leaves a moment without a working `surge` (engine tests may run it while `npm test` rebuilds):
// the bundle is made beside dist/, then moved in file by file with rename(2), which replaces each file atomically —
// content-hashed chunks first, the entry points last — so a process starting at any moment loads either the old
// build or the new one, whole. The previous build's files stay one more build (a running `surge watch` may still
// load one of its lazy chunks); older ones go. dist/.build-files.json lists the current build's files.
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';

// What every command loads, made smaller at bundle time (the plugin below): code a command does not run still
// costs its parse, and module-level work runs on every start. Measured with `node --cpu-prof` on a no-op `surge up`
// (bench/RESULTS.md). Each rewrite keeps the library's behaviour; none applies to the unbundled build/ that tests use.
//
// - yargs' platform shim imports cliui and string-width up front; their modules build Unicode regexes (\p{RGI_Emoji}
//   with the `v` flag) when evaluated, some 30 ms, needed only to lay out `--help`. Here they are required on first
//   use: esbuild evaluates a required ES module lazily, on that first call.
// - zod's `locales` namespace holds ~40 languages (~350 KB of source to parse); surge speaks English only, which zod
//   configures from `locales/en.js` by itself.

// - The YAML library (a third of the loader's code) is read only for compose files: it is bundled on its own as a
//   CommonJS file, dist/vendor/yaml-HASH.cjs, and `import … from 'yaml'` becomes a facade that requires it on first
//   use (the loader is synchronous, so an ES import() cannot be awaited there). A Boltfile project never loads it.
//   The name carries a hash of its content, as chunks do, so a running older build never loads a newer copy.

const YARGS_SHIM = /[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/;
const ZOD_LOCALES = /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/;

/** `import NAME from 'PKG'` → a function calling PKG's default export, evaluated on first call. */
function lazyDefault(source, name, pkg) {
  const statement = new RegExp(`^import ${name} from '${pkg}';?$`, 'm');
  if (!statement.test(source)) throw new Error(`bundle: yargs' shim no longer has \`import ${name} from '${pkg}'\`: update scripts/bundle.mjs`);
  return source.replace(statement, `let ${name}$lazy; const ${name} = (...args) => (${name}$lazy ??= require('${pkg}').default)(...args);`);
}

function replaceOnce(source, from, to) {
  if (source.split(from).length !== 2) throw new Error(`bundle: yargs' shim no longer has \`${from}\` once: update scripts/bundle.mjs`);
  return source.replace(from, to);
}

/** The functions and classes surge imports from 'yaml' (a name missing here fails the build: no matching export). */
const YAML_FUNCTIONS = ['isAlias', 'isMap', 'isPair', 'isScalar', 'isSeq', 'parseAllDocuments', 'visit'];
const YAML_CLASSES = ['Document', 'LineCounter'];

/**
 * The facade standing for 'yaml': each export loads the bundled library on first call. The chunk holding it sits in
 * dist/ (or, were it ever inlined into the command's entry, dist/cli/): both places are tried.
 */
function yamlFacade(file) {
  return [
    "import { existsSync } from 'node:fs';",
    "import { createRequire } from 'node:module';",
    "import { fileURLToPath } from 'node:url';",
    'let lib;',
    'function yaml() {',
    '  if (!lib) {',
    `    const at = ['./${file}', '../${file}'].map((f) => fileURLToPath(new URL(f, import.meta.url))).find((f) => existsSync(f));`,
    `    if (!at) throw new Error('surge: its YAML library (${file}) is missing from the installed package');`,
    '    lib = createRequire(import.meta.url)(at);',
    '  }',
    '  return lib;',
    '}',
    ...YAML_FUNCTIONS.map((f) => `export function ${f}(...args) { return yaml().${f}(...args); }`),
    // Called with `new`: a constructor that returns an object gives that object.
    ...YAML_CLASSES.map((c) => `export function ${c}(...args) { return new (yaml().${c})(...args); }`),
  ].join('\n');
}

/** @type {import('esbuild').Plugin} */
const startupPlugin = {
  name: 'surge-startup',
  setup(build) {
    build.onLoad({ filter: YARGS_SHIM }, async (args) => {
      let source = await readFile(args.path, 'utf8');
      // The shim binds `require` to its own createRequire; renamed, so that `require` below is esbuild's.
      source = replaceOnce(source, 'const require = createRequire(import.meta.url)', 'const shimRequire = createRequire(import.meta.url)');
      source = replaceOnce(source, '  require,', '  require: shimRequire,');
      source = lazyDefault(source, 'cliui', 'cliui');
      source = lazyDefault(source, 'stringWidth', 'string-width');
      return { contents: source, loader: 'js', resolveDir: dirname(args.path) };
    });
    build.onLoad({ filter: ZOD_LOCALES }, () => ({ contents: 'export { default as en } from "./en.js";\n', loader: 'js' }));
    build.onResolve({ filter: /^yaml$/ }, () => ({ path: 'yaml', namespace: 'surge-yaml-facade' }));
    build.onLoad({ filter: /.*/, namespace: 'surge-yaml-facade' }, () => ({ contents: yamlFacade(yamlFile), loader: 'js', resolveDir: process.cwd() }));
  },
};

/** Bundles the YAML library into `dir`/vendor/ as one CommonJS file; its path relative to `dir`. */
async function bundleYaml(dir) {
  const out = await build({
    stdin: { contents: "module.exports = require('yaml');", resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    write: false,
    logLevel: 'warning',
  });
  const code = out.outputFiles[0].contents;
  const file = `vendor/yaml-${createHash('sha256').update(code).digest('hex').slice(0, 8).toUpperCase()}.cjs`;
  mkdirSync(join(dir, 'vendor'), { recursive: true });
  writeFileSync(join(dir, file), code);
  return file;
}
let yamlFile = '';

/**
 * The bundle with every character outside ASCII written as a `\uXXXX` escape. esbuild already writes strings and
 * templates so (its `charset: 'ascii'`); what it leaves is in comments and regular expressions (`/µs/`), where the
 * escape means the same. An ASCII file is decoded as latin1 and held by V8 as a one-byte string (code-cache.ts):
 * decoding the 1.6 MB bundle as UTF-8 took 2.4 ms of every start, latin1 0.9 ms, and one character beyond latin1
 * anywhere (a `—` in a comment of zod's) makes V8 keep the whole source at two bytes a character.
 */
function asciiOnly(code) {
  return code.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Bundles the command line (build/cli/main.js and everything it loads) into `dir`/cli/ as one CommonJS file named
 * after a hash of its content, which dist/cli/main.js runs; its name relative to dist/cli/.
 * - `import()` becomes a lazy initializer (modules inside the file) or require (dockerode, outside): a script run
 *   from a code cache by vm.Script has no ES module loader of its own.
 * - `import.meta.url` is the file's own URL (the yargs shim and the YAML facade find files beside it).
 * - "use strict": every module was strict as an ES module; it stays so.
 */
async function bundleCommandLine(dir) {
  const out = await build({
    entryPoints: { 'cli/surge': 'build/cli/main.js' },
    entryNames: '[dir]/[name]-[hash]',
    outExtension: { '.js': '.cjs' },
    outdir: dir,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    supported: { 'dynamic-import': false },
    external: ['dockerode'],
    sourcemap: true,
    metafile: true,
    banner: { js: "'use strict';\nconst __surgeImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { __SURGE_VERSION__: JSON.stringify(version), 'import.meta.url': '__surgeImportMetaUrl' },
    logLevel: 'warning',
    plugins: [startupPlugin],
  });
  const files = Object.keys(out.metafile.outputs).filter((f) => f.endsWith('.cjs'));
  if (files.length !== 1) throw new Error(`bundle: expected one command-line bundle, got ${files.join(', ')}`);
  writeFileSync(files[0], asciiOnly(readFileSync(files[0], 'utf8')));
  return relative(join(dir, 'cli'), files[0]);
}

/**
 * The `surge` command's entry, dist/cli/main.js (build/cli/start.js and the little it imports), as one CommonJS file:
 * Node starts a CommonJS main module without its ES module loader, which cost a no-op `surge up` ~7 ms (resolving,
 * linking and evaluating the entry and the two library chunks it shared). dist/cli/package.json makes `.js` files
 * there CommonJS. (The one rebuild that turns an older, ES module main.js into this one has a moment, between two
 * renames, where a starting `surge` may fail; every rebuild after it swaps as before.)
 */
async function bundleStart(dir, cliBundle) {
  await build({
    entryPoints: { 'cli/main': 'build/cli/start.js' },
    outdir: dir,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    banner: { js: "'use strict';\nconst __surgeImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { __SURGE_VERSION__: JSON.stringify(version), __SURGE_CLI_BUNDLE__: JSON.stringify(cliBundle), 'import.meta.url': '__surgeImportMetaUrl' },
    logLevel: 'warning',
  });
  writeFileSync(join(dir, 'cli/package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
  chmodSync(join(dir, 'cli/main.js'), 0o755);
}

const DIST = 'dist';
const MANIFEST = '.build-files.json';
/** Loaded first by whoever runs surge: moved in last, once everything they import is in place. */
const ENTRIES = ['cli/main.js', 'index.js'];

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const next = `${DIST}.next-${process.pid}`;
rmSync(next, { recursive: true, force: true });
try {
  yamlFile = await bundleYaml(next);
  const cliBundle = await bundleCommandLine(next);
  await bundleStart(next, cliBundle);
  await build({
    entryPoints: { index: 'build/index.js' },
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
