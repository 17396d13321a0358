// The shared vocabulary of normalization: the context problems are reported through, and the small forms every
// section reads (key/value tables or lists, commands, durations, string-or-list).
import type { DriverKind } from '../../model/model.js';
import type { RawKeyValues } from './boltfile-schema.js';
import type { Lookup } from './dotenv.js';
import type { Path } from './schema-walk.js';
import { splitShellWords } from '../../model/shell-words.js';
import { closestMatch } from './suggest.js';
import { parseDuration } from '../../model/units.js';

export interface NormalizeContext {
  projectName: string;
  workingDir: string;
  files: string[];
  /** variables for bare `KEY` environment entries */
  lookup: Lookup;
  /** A message may be given as a function: it is built only for problems that are shown (see diagnostics.ts). */
  error(path: Path, message: string | (() => string)): void;
  warn(path: Path, message: string | (() => string)): void;
  /** told of every other file the model is read from (services' env_file), so watch can follow it */
  input?(file: string): void;
  /** the active profiles (`--profile`, else COMPOSE_PROFILES / SURGE_PROFILES) */
  profiles?: string[];
  /** services named on the command line: their profiles become active, as compose does */
  selected?: string[];
  /** the document lost what the schema refused (the second pass): skip checks that the missing keys would trip */
  partial?: boolean;
  /** where containers run: on a Swarm, its own settings (deploy's placement, secrets' drivers, …) are no warnings */
  target?: 'docker' | 'swarm';
}

export const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** "; did you mean `db`?" for a reference to a name that is not declared, when one is close. */
export function didYouMean(name: string, known: string[]): string {
  const guess = closestMatch(name, known);
  return guess ? `; did you mean \`${guess}\`?` : '';
}

export function scalarString(v: string | number | boolean): string {
  return typeof v === 'string' ? v : String(v);
}

export function keyValues(raw: RawKeyValues | undefined, path: Path, ctx: NormalizeContext, what: string, fromEnv: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw === undefined) return out;
  if (Array.isArray(raw)) {
    raw.forEach((entry, i) => {
      const eq = entry.indexOf('=');
      const key = eq < 0 ? entry : entry.slice(0, eq);
      if (key.trim() === '' || /\s/.test(key)) {
        // The name only: what follows "=" may be a secret. Without "=", the whole entry would be the "name" and may
        // be a pasted value: it is not echoed (the location points at it).
        const wrong = eq < 0 ? 'it has no "=" and' : `the name ${JSON.stringify(key)}`;
        ctx.error([...path, i], `invalid ${what} entry: ${wrong} is empty or holds white space (write "KEY=value")`);
        return;
      }
      if (eq >= 0) out[key] = entry.slice(eq + 1);
      else if (fromEnv) {
        const v = ctx.lookup(key);
        if (v !== undefined) out[key] = v;
      } else out[key] = '';
    });
    return out;
  }
  for (const [k, v] of Object.entries(raw)) out[k] = scalarString(v);
  return out;
}

export function command(raw: string | string[] | undefined, driver: DriverKind, path: Path, ctx: NormalizeContext): string[] | null {
  if (raw === undefined) return null;
  if (Array.isArray(raw)) return raw;
  // A string runs through a shell for host processes (like a Procfile); containers get compose's word split.
  if (driver === 'process') return ['/bin/sh', '-c', raw];
  const split = splitShellWords(raw);
  if (!split.ok) {
    ctx.error(path, split.message);
    return null;
  }
  return split.words;
}

export function duration(raw: string | number | undefined, path: Path, ctx: NormalizeContext): number | null {
  if (raw === undefined) return null;
  const d = parseDuration(raw);
  if (!d.ok) {
    ctx.error(path, d.message);
    return null;
  }
  return d.value;
}

export function stringList(raw: string | string[] | undefined): string[] {
  if (raw === undefined) return [];
  return Array.isArray(raw) ? raw : [raw];
}
