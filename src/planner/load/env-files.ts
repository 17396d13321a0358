// The env files a project reads, with compose's precedence (compose-go cli/options.go, dotenv/env.go and
// types/project.go WithServicesEnvironmentResolved; the cases are in test/unit/planner/load/env-files.test.ts):
//
// - Interpolating the Boltfile, the process environment wins. Then the `--env-file` files, a later one winning; they
//   replace `.env` beside the Boltfile, which is read only without `--env-file` (and only when it is a file). Inside
//   those files, `${VAR}` takes the process environment first, then what earlier lines and files set.
// - A service's `env_file` entries, in order, a later one winning, under the service's own `environment`. Inside them,
//   `${VAR}` (and a bare `KEY`) takes the project's variables first, then the service's `environment`, then earlier
//   lines and files. `required = false` lets a file be missing; `format = "raw"` reads it as `docker run --env-file`.
import { statSync } from 'node:fs';
import { ConfigError } from '../../model/errors.js';
import { parseDotenv, parseRawEnv, type DotenvResult, type Lookup } from './dotenv.js';
import { resolveHostPath } from './mounts.js';
import { readConfigFile } from './safe-read.js';
import { safeDotenvMessage } from './sensitive-paths.js';
import { display } from './read-source.js';
import type { Path } from './schema-walk.js';

export interface ProjectEnvironment {
  lookup: Lookup;
  /** the env files that were (or, for `.env`, would be) read: watch re-loads when one changes */
  inputs: string[];
}

/** A file's text through safe-read (regular files only, never blocking, size-capped), or a located user error. */
function readText(file: string, shown: string): string {
  const read = readConfigFile(file);
  if (read.ok) return read.text;
  const why = read.reason === 'missing' ? 'env file not found' : read.message === 'is a directory, not a file' ? 'is a directory, not an env file' : read.message;
  throw new ConfigError([{ message: `${shown}: ${why}`, path: null, location: null }]);
}

/** Own keys only: `${toString}` must not find Object.prototype's function in a plain object. */
function own(table: Record<string, string | undefined>, k: string): string | undefined {
  return Object.hasOwn(table, k) ? table[k] : undefined;
}

/** One env file's variables (`${VAR}` inside it takes `lookup`, then the file's earlier lines), located errors. */
export function readEnvFile(file: string, cwd: string, lookup: Lookup): Record<string, string> {
  const shown = display(file, cwd);
  const values = new Map<string, string>();
  const text = readText(file, shown);
  const parsed = parseDotenv(text, (k) => lookup(k) ?? values.get(k), values);
  if (!parsed.ok) throw new ConfigError([{ message: safeDotenvMessage(parsed.message, text, parsed.line), path: null, location: { file: shown, line: parsed.line, column: parsed.column } }]);
  return Object.fromEntries(values);
}

/**
 * `.env` is read only when it is there and not a folder (compose's rule); anything else there that is not a regular
 * file (a FIFO, a device) is read through safe-read, which refuses it with a user error rather than skip it silently.
 */
function isFileOrOdd(file: string): boolean {
  try {
    return !statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** The variables the Boltfile is interpolated with. `envFiles` are absolute; `dotenvFile` is `.env` beside the Boltfile. */
export function projectEnvironment(env: Record<string, string | undefined>, envFiles: string[], dotenvFile: string, cwd: string): ProjectEnvironment {
  const fromFiles = new Map<string, string>();
  const shellFirst: Lookup = (k) => own(env, k) ?? fromFiles.get(k);
  const read = (file: string): void => {
    const shown = display(file, cwd);
    const text = readText(file, shown);
    const parsed = parseDotenv(text, shellFirst, fromFiles);
    if (!parsed.ok) {
      throw new ConfigError([{ message: safeDotenvMessage(parsed.message, text, parsed.line), path: null, location: { file: shown, line: parsed.line, column: parsed.column } }]);
    }
  };
  if (envFiles.length) {
    for (const file of envFiles) read(file);
  } else if (isFileOrOdd(dotenvFile)) read(dotenvFile);
  return { lookup: shellFirst, inputs: envFiles.length ? envFiles : [dotenvFile] };
}

export interface EnvFileEntry {
  path: string;
  required?: boolean | undefined;
  format?: string | undefined;
}

export interface ServiceEnvFileContext {
  workingDir: string;
  /** the project's variables */
  lookup: Lookup;
  error(path: Path, message: string): void;
  warn(path: Path, message: string): void;
  input?(file: string): void;
}

/** A service's `env_file` as one mapping (a later file winning); `declared` is its own `environment`. */
export function readServiceEnvFiles(
  raw: string | (string | EnvFileEntry)[] | undefined,
  path: Path,
  declared: Record<string, string>,
  ctx: ServiceEnvFileContext,
): Record<string, string> {
  if (raw === undefined) return {};
  const list = Array.isArray(raw) ? raw : [raw];
  const vars = new Map(Object.entries(declared));
  const fromFiles: Record<string, string> = {};
  const lookup: Lookup = (k) => ctx.lookup(k) ?? (Object.hasOwn(declared, k) ? declared[k] : undefined);
  list.forEach((item, i) => {
    const entry: EnvFileEntry = typeof item === 'string' ? { path: item } : item;
    const at: Path = Array.isArray(raw) ? [...path, 'env_file', i] : [...path, 'env_file'];
    const format = entry.format ?? '.env';
    if (format !== '.env' && format !== 'raw') {
      ctx.error([...at, 'format'], `unsupported env_file format ${JSON.stringify(format)} (use "raw", or leave it out for the .env format)`);
      return;
    }
    const abs = resolveHostPath(entry.path, ctx.workingDir);
    ctx.input?.(abs);
    const read = readConfigFile(abs);
    if (!read.ok) {
      if (read.reason !== 'missing') ctx.error(at, `env_file "${entry.path}" ${read.message} (${abs})`);
      else if (entry.required ?? true) ctx.error(at, `env_file "${entry.path}" not found (looked at ${abs}); add \`required = false\` if it is optional`);
      return;
    }
    const text = read.text;
    const parsed: DotenvResult = format === 'raw' ? parseRawEnv(text, lookup) : parseDotenv(text, lookup, vars);
    if (!parsed.ok) {
      ctx.error(at, `${abs}:${parsed.line}:${parsed.column}: ${safeDotenvMessage(parsed.message, text, parsed.line)}`);
      return;
    }
    for (const e of parsed.entries) {
      if (e.key === '') {
        // compose passes it on, and the engine then refuses the container: say so here instead.
        ctx.warn(at, `${abs}:${e.line}: an entry without a variable name is left out`);
        continue;
      }
      vars.set(e.key, e.value);
      fromFiles[e.key] = e.value;
    }
  });
  return fromFiles;
}
