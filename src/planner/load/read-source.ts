// Reading the files a project is loaded from: Boltfiles (TOML), compose files (YAML, by their .yaml / .yml
// extension) and env files, with their problems located; and which files to read when no -f names them.
import { existsSync } from 'node:fs';
import { extname, relative, resolve } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { ConfigError, type Diagnostic } from '../../model/errors.js';
import { countValues, largestContainer, MAX_NESTING, MAX_VALUES, measure, nestingMessage, tomlValueBound, tooDeepPath, tooManyValuesMessage } from './limits.js';
import { readConfigFile } from './safe-read.js';
import type { Path } from './schema-walk.js';
import { parseTomlFast } from './toml-fast.js';
import { checkedTomlLocations, scanTomlLocations, type TomlLocations } from './toml-locations.js';
import { formatPath } from './tree.js';
import { parseYaml } from './yaml-source.js';

export const DEFAULT_FILES = ['Boltfile.toml', 'surge.toml'] as const;
/** compose's own names, in its order of preference (compose-go cli/options.go) */
export const COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'] as const;
/** read after the compose file found, as compose merges them by default */
export const COMPOSE_OVERRIDE_FILES = ['compose.override.yml', 'compose.override.yaml', 'docker-compose.override.yml', 'docker-compose.override.yaml'] as const;

export type SourceFormat = 'toml' | 'yaml';

export interface Source {
  file: string;
  /** as printed in messages: relative to cwd when inside it */
  display: string;
  text: string;
  format: SourceFormat;
  data: Record<string, unknown>;
  locations: TomlLocations;
  /** YAML: paths tagged !reset / !override */
  resets: Path[];
  overrides: Path[];
  /** a plain object given by a program: no file, no positions */
  fromObject?: boolean;
  /**
   * read by toml-fast.ts: plain objects, each list and table this source's own and in one place only, so later steps
   * may share what they do not change instead of copying it (interpolate.ts)
   */
  ownPlainTree?: boolean;
}

const NO_LOCATIONS: TomlLocations = { locate: () => null, locateValue: () => null, notToml10: null, tooDeep: null };

/** A document given as a plain object; a deep copy, so the caller's object is never changed. */
export function objectSource(document: Record<string, unknown>): Source {
  // Checked before the copy: structuredClone and every walker after it recurse once per level.
  const deep = tooDeepPath(document);
  if (deep) throw new ConfigError([{ message: `${formatPathSafe(deep)}: ${nestingMessage()}`, path: null, location: null }]);
  if (countValues(document) > MAX_VALUES) {
    const { path, size } = largestContainer(document);
    throw new ConfigError([{ message: tooManyValuesMessage(formatPath(path), size), path: null, location: null }]);
  }
  return { file: '<object>', display: '<object>', text: '', format: 'toml', data: structuredClone(document), locations: NO_LOCATIONS, resets: [], overrides: [], fromObject: true };
}

export function formatOf(file: string): SourceFormat {
  const ext = extname(file).toLowerCase();
  return ext === '.yaml' || ext === '.yml' ? 'yaml' : 'toml';
}

export function display(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') ? rel : file;
}

export interface FoundFiles {
  files: string[];
  /** set when no -f named the files and surge looked for them (the CLI may say which it used) */
  discovered: boolean;
  warnings: Diagnostic[];
}

/**
 * The files to load: the -f files; else Boltfile.toml, else surge.toml, else the first compose file by compose's
 * names (compose.yaml, …) and the first compose override file beside it (compose.override.yml, …).
 */
export function findFiles(files: string[], cwd: string): FoundFiles {
  if (files.length) return { files: files.map((f) => resolve(cwd, f)), discovered: false, warnings: [] };
  for (const name of DEFAULT_FILES) {
    const f = resolve(cwd, name);
    if (existsSync(f)) return { files: [f], discovered: true, warnings: [] };
  }
  const warnings: Diagnostic[] = [];
  const present = (names: readonly string[]): string[] => names.filter((n) => existsSync(resolve(cwd, n)));
  const composeFiles = present(COMPOSE_FILES);
  const main = composeFiles[0];
  if (main) {
    if (composeFiles.length > 1) {
      warnings.push({ message: `warning: found several compose files (${composeFiles.join(', ')}); using ${main}`, path: null, location: null });
    }
    const overrides = present(COMPOSE_OVERRIDE_FILES);
    if (overrides.length > 1) {
      warnings.push({ message: `warning: found several compose override files (${overrides.join(', ')}); using ${overrides[0]}`, path: null, location: null });
    }
    return { files: [main, ...overrides.slice(0, 1)].map((n) => resolve(cwd, n)), discovered: true, warnings };
  }
  throw new ConfigError([
    {
      message: `no Boltfile.toml, surge.toml or compose.yaml in ${cwd}: create one, or name it with -f FILE`,
      path: null,
      location: null,
    },
  ]);
}

export function resolveFiles(files: string[], cwd: string): string[] {
  return findFiles(files, cwd).files;
}

/** A path for a message, cut short: a too-deep path is long by definition. */
function formatPathSafe(path: Path): string {
  const shown = path.slice(0, 8).map(String).join('.');
  return path.length > 8 ? `${shown}.…` : shown;
}

/** Regular files only, never blocking on a FIFO, at most 4 MiB (safe-read.ts); anything else is a user error. */
function readText(file: string, shown: string): string {
  const read = readConfigFile(file);
  if (!read.ok) throw new ConfigError([{ message: `${shown}: ${read.message}`, path: null, location: null }]);
  return read.text;
}

/** The check scan (nesting first, before anything recurses), then smol-toml; every problem located. */
function parseTomlFully(text: string, shown: string, tooDeep: (position: { line: number; column: number } | null) => ConfigError): { data: Record<string, unknown>; locations: TomlLocations } {
  // Nesting is checked on the text, before the parser or any walker after it recurses into the document.
  const locations = scanTomlLocations(text);
  if (locations.tooDeep) throw tooDeep(locations.tooDeep);
  try {
    // `__proto__` (and `constructor`) as keys are refused, located, rather than silently lost in the plain objects
    // every later step builds.
    const data = parse(text, { maxDepth: MAX_NESTING, unsafeKeyBehaviour: 'throw' }) as Record<string, unknown>;
    return { data, locations };
  } catch (err) {
    if (err instanceof TomlError && /excessively nested/.test(err.message)) throw tooDeep({ line: err.line, column: err.column });
    if (err instanceof TomlError && /unsafe property/.test(err.message)) {
      const where = { file: shown, line: err.line, column: err.column };
      throw new ConfigError([{ message: 'the keys `__proto__` and `constructor` are not supported', path: null, location: where }]);
    }
    if (err instanceof TomlError) {
      const first = err.message.split('\n')[0] ?? 'invalid TOML';
      const reason = first.replace(/^Invalid TOML document: /, '');
      throw new ConfigError([
        { message: `invalid TOML: ${reason}`, path: null, location: { file: shown, line: err.line, column: err.column } },
      ]);
    }
    throw err;
  }
}

function parseToml(text: string, shown: string): { data: Record<string, unknown>; locations: TomlLocations; values: number; fast: boolean } {
  const tooDeep = (position: { line: number; column: number } | null): ConfigError =>
    new ConfigError([{ message: nestingMessage(), path: null, location: position ? { file: shown, ...position } : null }]);
  // The common shape of a Boltfile is read by one fast pass that also proves what the check scan would look for
  // absent (toml-fast.ts); anything it is not sure of takes the full path (parseTomlFully), which reports what is wrong.
  const fast = parseTomlFast(text, MAX_NESTING);
  const { data, locations } = fast ? { data: fast, locations: checkedTomlLocations(text) } : parseTomlFully(text, shown, tooDeep);
  // A text that cannot hold MAX_VALUES values needs no walk of the document (nearly every one: a 5,000-service
  // Boltfile bounds at 45,000): the check scan and the parser's maxDepth (or the fast pass's own cap) are the nesting
  // guards.
  const bound = tomlValueBound(text);
  if (bound <= MAX_VALUES) {
    if (locations.notToml10) throw notToml10(locations.notToml10, shown);
    return { data, locations, values: bound, fast: fast !== null };
  }
  // Depth and size in one walk: the path of what is too deep is sought only then.
  const measured = measure(data);
  const deep = measured.tooDeep ? tooDeepPath(data) : null;
  if (deep) throw tooDeep(locations.locate(deep.slice(0, MAX_NESTING + 1))?.position ?? null);
  if (locations.notToml10) throw notToml10(locations.notToml10, shown);
  return { data, locations, values: measured.values, fast: fast !== null };
}

function notToml10({ position, message }: NonNullable<TomlLocations['notToml10']>, shown: string): ConfigError {
  return new ConfigError([{ message: `invalid TOML: ${message}`, path: null, location: { file: shown, line: position.line, column: position.column } }]);
}

/** A file's documents: one for TOML, one per document of a YAML stream. */
export function readSources(file: string, cwd: string): Source[] {
  const shown = display(file, cwd);
  const text = readText(file, shown);
  if (formatOf(file) === 'yaml') {
    return parseYaml(text, shown).map((d) => checkSize({ file, display: shown, text, format: 'yaml', ...d }));
  }
  const { data, locations, values, fast } = parseToml(text, shown);
  return [checkSize({ file, display: shown, text, format: 'toml', data, locations, resets: [], overrides: [], ...(fast ? { ownPlainTree: true } : {}) }, values)];
}

/** A document of at most MAX_VALUES values (limits.ts), or a user error located at its largest list or table. */
function checkSize(source: Source, values = countValues(source.data)): Source {
  if (values <= MAX_VALUES) return source;
  const { path, size } = largestContainer(source.data);
  const at = source.locations.locate(path)?.position;
  const message = tooManyValuesMessage(formatPath(path), size);
  throw new ConfigError([{ message, path: null, location: at ? { file: source.display, ...at } : { file: source.display, line: 1, column: 1 } }]);
}
