// The env files a project reads, with compose's precedence (compose-go cli/options.go, dotenv/env.go and
// types/project.go WithServicesEnvironmentResolved; the cases are in test/unit/planner/load/env-files.test.ts):
//
// - Interpolating the Boltfile, the process environment wins. Then the `--env-file` files, a later one winning; they
//   replace `.env` beside the Boltfile, which is read only without `--env-file` (and only when it is a file). Inside
//   those files, `${VAR}` takes the process environment first, then what earlier lines and files set.
// - A service's `env_file` entries, in order, a later one winning, under the service's own `environment`. Inside them,
//   `${VAR}` (and a bare `KEY`) takes the project's variables first, then the service's `environment`, then earlier
//   lines and files. `required = false` lets a file be missing; `format = "raw"` reads it as `docker run --env-file`.
import { readFileSync, statSync } from 'node:fs';
import { ConfigError } from '../../model/errors.js';
import { parseDotenv, parseRawEnv, type DotenvResult, type Lookup } from './dotenv.js';
import { resolveHostPath } from './mounts.js';
import { display } from './read-source.js';
import type { Path } from './schema-walk.js';

export interface ProjectEnvironment {
  lookup: Lookup;
  /** the env files that were (or, for `.env`, would be) read: watch re-loads when one changes */
  inputs: string[];
}

type Kind = 'file' | 'directory' | 'missing';

function kindOf(file: string): Kind {
  try {
    return statSync(file).isDirectory() ? 'directory' : 'file';
  } catch {
    return 'missing';
  }
}

function readText(file: string, shown: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([{ message: `${shown}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, path: null, location: null }]);
  }
}

/** One env file's variables (`${VAR}` inside it takes `lookup`, then the file's earlier lines), located errors. */
export function readEnvFile(file: string, cwd: string, lookup: Lookup): Record<string, string> {
  const shown = display(file, cwd);
  const values = new Map<string, string>();
  const parsed = parseDotenv(readText(file, shown), (k) => lookup(k) ?? values.get(k), values);
  if (!parsed.ok) throw new ConfigError([{ message: parsed.message, path: null, location: { file: shown, line: parsed.line, column: parsed.column } }]);
  return Object.fromEntries(values);
}

/** The variables the Boltfile is interpolated with. `envFiles` are absolute; `dotenvFile` is `.env` beside the Boltfile. */
export function projectEnvironment(env: Record<string, string | undefined>, envFiles: string[], dotenvFile: string, cwd: string): ProjectEnvironment {
  const fromFiles = new Map<string, string>();
  const shellFirst: Lookup = (k) => env[k] ?? fromFiles.get(k);
  const read = (file: string): void => {
    const shown = display(file, cwd);
    const parsed = parseDotenv(readText(file, shown), shellFirst, fromFiles);
    if (!parsed.ok) {
      throw new ConfigError([{ message: parsed.message, path: null, location: { file: shown, line: parsed.line, column: parsed.column } }]);
    }
  };
  if (envFiles.length) {
    for (const file of envFiles) {
      const kind = kindOf(file);
      if (kind !== 'file') {
        throw new ConfigError([{ message: `${display(file, cwd)}: ${kind === 'missing' ? 'env file not found' : 'is a directory, not an env file'}`, path: null, location: null }]);
      }
      read(file);
    }
  } else if (kindOf(dotenvFile) === 'file') read(dotenvFile);
  return { lookup: (k) => env[k] ?? fromFiles.get(k), inputs: envFiles.length ? envFiles : [dotenvFile] };
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
    const kind = kindOf(abs);
    if (kind === 'missing') {
      if (entry.required ?? true) ctx.error(at, `env_file "${entry.path}" not found (looked at ${abs}); add \`required = false\` if it is optional`);
      return;
    }
    if (kind === 'directory') {
      ctx.error(at, `env_file "${entry.path}" is a directory (${abs})`);
      return;
    }
    let text: string;
    try {
      text = readFileSync(abs, 'utf8');
    } catch (err) {
      ctx.error(at, `env_file "${entry.path}" cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      return;
    }
    const parsed: DotenvResult = format === 'raw' ? parseRawEnv(text, lookup) : parseDotenv(text, lookup, vars);
    if (!parsed.ok) {
      ctx.error(at, `${abs}:${parsed.line}:${parsed.column}: ${parsed.message}`);
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
