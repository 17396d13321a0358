// Runs surge's command-line bundle (one CommonJS file, dist/cli/surge-HASH.cjs) with a V8 code cache: the compiled
// code of a previous run is kept in the user's cache folder and given back to V8, which then skips parsing and
// compiling the bundle (Node 20 has no compile cache for ES modules, module.enableCompileCache is Node 22's).
//
// Why it cannot run stale code: a cache file's name holds a hash of the bundle's content (read anyway to compile it;
// hashing costs ~1 ms), Node's version and architecture, and Node's flags; V8 itself checks a cache against its own
// version and flags and the source's length, and rejects it (cachedDataRejected) when they differ.
// Any failure — no home folder, a read-only or full disk, a corrupt or foreign file — means compiling as without a
// cache: the cache only ever saves time. Files are written whole (a temporary file renamed into place), so processes
// starting together never read half a file.
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/**
 * How many cache files are kept (the newest; each is ~0.8 MB): other builds, other Node versions, other flags. Every
 * rebuild of surge is a new bundle, so without a bound a developer's cache would grow by one file per build.
 */
const KEPT = 4;

/** Where code caches are kept: $XDG_CACHE_HOME/surge/v8, else ~/.cache/surge/v8; null without a home folder. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string | null {
  try {
    const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
    return join(base, 'surge', 'v8');
  } catch {
    return null;
  }
}

/** FNV-1a, 32 bits: a short name for Node's flags (not a defence: V8 checks its flags itself). */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The cache file's name for the bundle file `file` holding `content`, in this Node with these flags. */
export function cacheFileName(file: string, content: Buffer): string {
  const digest = createHash('sha256').update(content).digest('hex').slice(0, 20);
  return `${basename(file)}-${digest}-${process.version}-${process.arch}-${shortHash(process.execArgv.join('\0'))}.v8`;
}

function readCache(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Makes the folders one by one: a recursive mkdir was seen to loop for ever where mkdir keeps answering ENOENT under
 * a folder that exists (a cache folder set inside /proc).
 */
function makeFolders(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d); d = dirname(d)) {
    if (dirname(d) === d || missing.length > 8) throw new Error(`no parent for ${dir}`);
    missing.unshift(d);
  }
  for (const d of missing) mkdirSync(d, { mode: 0o700 });
}

/** Removes all but the KEPT newest cache files, and temporary files a killed process left. */
function prune(dir: string): void {
  const now = Date.now();
  const files = readdirSync(dir).map((f) => ({ path: join(dir, f), name: f, mtimeMs: statSync(join(dir, f)).mtimeMs }));
  const caches = files.filter((f) => f.name.endsWith('.v8')).sort((a, b) => b.mtimeMs - a.mtimeMs);
  const leftovers = files.filter((f) => f.name.endsWith('.tmp') && now - f.mtimeMs > 3600_000);
  for (const f of [...caches.slice(KEPT), ...leftovers]) unlinkSync(f.path);
}

/** Writes the cache (made by `data`, only once the folder is there: making it takes some milliseconds). */
function writeCache(dir: string, name: string, data: () => Buffer): void {
  try {
    makeFolders(dir);
    accessSync(dir, constants.W_OK);
    const temporary = join(dir, `${name}.${process.pid}.tmp`);
    writeFileSync(temporary, data(), { mode: 0o600 });
    renameSync(temporary, join(dir, name));
    prune(dir);
  } catch {
    // The cache only saves time; the command has run.
  }
}

/** What running `file` made of its cache: for tests and for measuring. */
export interface CacheOutcome {
  /** the cache file, or null when there is no cache folder */
  path: string | null;
  /** a cache was found and V8 took it */
  used: boolean;
}

/**
 * Runs the CommonJS file `file` as Node's require would (same wrapper, its own `require`), compiled from the cache in
 * `cacheDir` when there is a good one. Without one, a cache is written when the process exits, so that it holds the
 * functions this run compiled as well.
 */
export function runWithCodeCache(
  file: string,
  cacheDir: string | null = defaultCacheDir(),
  /** when to write a new cache (tests call it themselves) */
  atExit: (write: () => void) => void = (write) => process.once('exit', write),
): CacheOutcome {
  const content = readFileSync(file);
  // The bundle is ASCII (scripts/bundle.mjs), read as latin1: a one-byte string, and ~3× faster than UTF-8 decoding.
  const text = isAscii(content) ? content.toString('latin1') : content.toString('utf8');
  // A `#!` line is not JavaScript inside the wrapper (Node's own loader strips it the same way).
  const source = text.startsWith('#!') ? `//${text.slice(2)}` : text;
  const name = cacheFileName(file, content);
  const path = cacheDir === null ? null : join(cacheDir, name);
  const cachedData = path === null ? undefined : readCache(path);
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new Script(wrapped, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const used = cachedData !== undefined && !script.cachedDataRejected;
  if (cacheDir !== null && !used) atExit(() => writeCache(cacheDir, name, () => script.createCachedData()));
  const module = { exports: {}, filename: file, id: file, loaded: false };
  const run = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  return { path, used };
}
