// Reading the files a project is loaded from: Boltfiles (TOML) and env files, with their problems located.
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { ConfigError } from '../../model/errors.js';
import { parseDotenv, type Lookup } from './dotenv.js';
import { MAX_NESTING, nestingMessage, tooDeepPath } from './limits.js';
import { readConfigFile } from './safe-read.js';
import { safeDotenvMessage } from './sensitive.js';
import { scanTomlLocations, type TomlLocations } from './toml-locations.js';

export const DEFAULT_FILES = ['Boltfile.toml', 'surge.toml'] as const;

export interface Source {
  file: string;
  /** as printed in messages: relative to cwd when inside it */
  display: string;
  text: string;
  data: Record<string, unknown>;
  locations: TomlLocations;
}

export function display(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') ? rel : file;
}

export function resolveFiles(files: string[], cwd: string): string[] {
  if (files.length) return files.map((f) => resolve(cwd, f));
  for (const name of DEFAULT_FILES) {
    const f = resolve(cwd, name);
    if (existsSync(f)) return [f];
  }
  throw new ConfigError([
    {
      message: `no Boltfile.toml or surge.toml in ${cwd}: create one, or name it with -f FILE`,
      path: null,
      location: null,
    },
  ]);
}

export function readSource(file: string, cwd: string): Source {
  const shown = display(file, cwd);
  const read = readConfigFile(file);
  if (!read.ok) throw new ConfigError([{ message: `${shown}: ${read.message}`, path: null, location: null }]);
  const text = read.text;
  // Nesting is checked on the text, before the parser or any walker after it recurses into the document.
  const locations = scanTomlLocations(text);
  const tooDeep = (position: { line: number; column: number } | null): ConfigError =>
    new ConfigError([{ message: nestingMessage(), path: null, location: position ? { file: shown, ...position } : null }]);
  if (locations.tooDeep) throw tooDeep(locations.tooDeep);
  let data: Record<string, unknown>;
  try {
    // `__proto__` (and `constructor`) as keys are refused, located, rather than silently lost in the plain objects
    // every later step builds.
    data = parse(text, { maxDepth: MAX_NESTING, unsafeKeyBehaviour: 'throw' }) as Record<string, unknown>;
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
  const deep = tooDeepPath(data);
  if (deep) throw tooDeep(locations.locate(deep.slice(0, MAX_NESTING + 1))?.position ?? null);
  if (locations.notToml10) {
    const { position, message } = locations.notToml10;
    throw new ConfigError([{ message: `invalid TOML: ${message}`, path: null, location: { file: shown, line: position.line, column: position.column } }]);
  }
  return { file, display: shown, text, data, locations };
}

export function readDotenv(file: string, cwd: string, required: boolean, lookup: Lookup): Record<string, string> {
  const read = readConfigFile(file);
  if (!read.ok) {
    if (read.reason === 'missing' && !required) return {};
    const why = read.reason === 'missing' ? 'env file not found' : read.message;
    throw new ConfigError([{ message: `${display(file, cwd)}: ${why}`, path: null, location: null }]);
  }
  const parsed = parseDotenv(read.text, lookup);
  if (!parsed.ok) {
    const message = safeDotenvMessage(parsed.message, read.text, parsed.line);
    throw new ConfigError([{ message, path: null, location: { file: display(file, cwd), line: parsed.line, column: parsed.column } }]);
  }
  return Object.fromEntries(parsed.entries.map((e) => [e.key, e.value]));
}
