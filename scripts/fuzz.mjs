// npm run fuzz: bundles the loader fuzz harness (TypeScript, importing src/ directly) with esbuild and runs it.
// Arguments are passed through: npm run fuzz -- --cases 6000 --seed 1.
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';

const outfile = 'node_modules/.cache/surge-fuzz/loader-fuzz.mjs';
await build({
  entryPoints: ['test/fuzz/loader-fuzz.ts'],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
});
const run = spawnSync(process.execPath, ['--enable-source-maps', outfile, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
