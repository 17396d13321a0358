// Reading the Boltfiles a project is loaded from (TOML), with their problems located. Env files: env-files.ts.
import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { ConfigError } from '../../model/errors.js';
import { scanTomlLocations, type TomlLocations } from './toml-locations.js';

export const DEFAULT_FILES = ['Boltfile.toml', 'surge.toml'] as const;

export interface Source {
  file: string;
  /** as printed in messages: relative to cwd when inside it */
  display: string;
  text: string;
  data: Record<string, unknown>;
  locations: TomlLocations;
  /** a plain object given by a program: no file, no positions */
  fromObject?: boolean;
}

const NO_LOCATIONS: TomlLocations = { locate: () => null, locateValue: () => null, notToml10: null };

/** A document given as a plain object; a deep copy, so the caller's object is never changed. */
export function objectSource(document: Record<string, unknown>): Source {
  return { file: '<object>', display: '<object>', text: '', data: structuredClone(document), locations: NO_LOCATIONS, fromObject: true };
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
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory' : `cannot read (${code ?? 'error'})`;
    throw new ConfigError([{ message: `${shown}: ${why}`, path: null, location: null }]);
  }
  let data: Record<string, unknown>;
  try {
    data = parse(text) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof TomlError) {
      const first = err.message.split('\n')[0] ?? 'invalid TOML';
      const reason = first.replace(/^Invalid TOML document: /, '');
      throw new ConfigError([
        { message: `invalid TOML: ${reason}`, path: null, location: { file: shown, line: err.line, column: err.column } },
      ]);
    }
    throw err;
  }
  const locations = scanTomlLocations(text);
  if (locations.notToml10) {
    const { position, message } = locations.notToml10;
    throw new ConfigError([{ message: `invalid TOML: ${message}`, path: null, location: { file: shown, line: position.line, column: position.column } }]);
  }
  return { file, display: shown, text, data, locations };
}
