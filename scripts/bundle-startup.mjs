// What every command loads, made smaller at bundle time (scripts/bundle.mjs): code a command does not run still
// costs its parse, and module-level work runs on every start. Measured with `node --cpu-prof` on a no-op `surge up`
// (bench/RESULTS.md). Each rewrite keeps the library's behaviour; none applies to the unbundled build/ that tests use.
//
// - yargs' platform shim imports cliui and string-width up front; their modules build Unicode regexes (\p{RGI_Emoji}
//   with the `v` flag) when evaluated, some 30 ms, needed only to lay out `--help`. Here they are required on first
//   use: esbuild evaluates a required ES module lazily, on that first call.
// - zod's `locales` namespace holds ~40 languages (~350 KB of source to parse); surge speaks English only, which zod
//   configures from `locales/en.js` by itself.
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

const YARGS_SHIM = /[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/;
const ZOD_LOCALES = /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/;

/** `import NAME from 'PKG'` → a function calling PKG's default export, evaluated on first call. */
function lazyDefault(source, name, pkg) {
  const statement = new RegExp(`^import ${name} from '${pkg}';?$`, 'm');
  if (!statement.test(source)) throw new Error(`bundle: yargs' shim no longer has \`import ${name} from '${pkg}'\`: update scripts/bundle-startup.mjs`);
  return source.replace(statement, `let ${name}$lazy; const ${name} = (...args) => (${name}$lazy ??= require('${pkg}').default)(...args);`);
}

function replaceOnce(source, from, to) {
  if (source.split(from).length !== 2) throw new Error(`bundle: yargs' shim no longer has \`${from}\` once: update scripts/bundle-startup.mjs`);
  return source.replace(from, to);
}

/** @type {import('esbuild').Plugin} */
export const startupPlugin = {
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
  },
};
