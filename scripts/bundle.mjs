// Bundles tsc's output (build/) into dist/, what ships: the `surge` command (dist/cli/main.js) and the library
// (dist/index.js, with its declarations in dist/types/), sharing chunks. tsc compiles and type-checks; esbuild only
// joins its modules: a command then loads a handful of files instead of some 250 ESM modules (zod alone is 99),
// which took a third of every command's start-up (a no-op `surge up`: 530 ms → 370 ms on a 2-core machine).
// Command modules stay separate chunks, loaded lazily. dockerode stays outside: it is loaded only for streams, and
// it finds its gRPC .proto files next to its own code.
import { chmodSync, cpSync, readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { 'cli/main': 'build/cli/main.js', index: 'build/index.js' },
  outdir: 'dist',
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
});
chmodSync('dist/cli/main.js', 0o755);
// The library's types, as tsc declared them (only the .d.ts files; the modules they describe are bundled).
cpSync('build/types', 'dist/types', { recursive: true, filter: (src) => !src.endsWith('.map') });
