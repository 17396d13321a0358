// Which values in a loaded document may be secrets, so that messages about them never show them. A problem with a
// secret says which key and where (FILE:LINE:COL, key path), never the value, nor any part of it: a message may end
// up in CI logs, terminals shared on screen, bug reports. (interpolate.ts and dotenv.ts never quote values at all.)
import { isSensitiveKey } from '../../model/config-hash.js';
import { mappingKind } from './merge-files.js';
import type { Path } from './schema-walk.js';

/** The name of a `KEY=value` list entry, when it has one. */
function entryName(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const eq = value.indexOf('=');
  return eq < 0 ? null : value.slice(0, eq);
}

/**
 * Whether the value at `path` may be a secret: anything under a key that looks sensitive (PASSWORD, SECRET, TOKEN,
 * KEY), and a `KEY=value` entry of an environment, build args or labels list whose name does.
 */
export function isSensitivePath(path: Path, value?: unknown): boolean {
  if (path.some((seg) => typeof seg === 'string' && isSensitiveKey(seg))) return true;
  const last = path.at(-1);
  if (typeof last === 'number' && mappingKind(path.slice(0, -1)) !== null) {
    const name = entryName(value);
    return name !== null && isSensitiveKey(name);
  }
  return false;
}

/**
 * Whether a value of the wrong type at `path` may still be a secret: anything sensitive, and a string where an
 * environment or build args mapping belongs (`environment = "API_KEY=…"`).
 */
export function mayShowValue(path: Path, value: unknown): boolean {
  if (isSensitivePath(path, value)) return false;
  return !(typeof value === 'string' && mappingKind(path) === 'env');
}

/**
 * An interpolation problem in a sensitive value, said without any of it: interpolate.ts quotes the `${NAME` it
 * stopped at and expands a `:?` message, and inside a secret both are the secret's characters. Kept: the kind of
 * problem, where (a character position), and a required variable's name.
 */
export function sensitiveInterpolationMessage(message: string): string {
  const required = /^required variable [A-Za-z_][A-Za-z0-9_]* is missing a value/.exec(message);
  if (required) return `${required[0]} (the value is sensitive: the rest is not shown)`;
  if (message.startsWith('interpolation nested deeper')) return message;
  const at = /\(character (\d+)\)/.exec(message);
  return `invalid interpolation format${at ? ` at character ${at[1]}` : ''} (the value is sensitive and not shown); write "$$" for a literal "$"`;
}

/** The name a .env line assigns (`KEY=…`, `KEY: …`, `export KEY=…`), or null. */
function dotenvLineName(line: string): string | null {
  const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*[=:]/.exec(line);
  return m ? (m[1] as string) : null;
}

/**
 * A .env problem without anything from the line that may be a value. A character that cannot be in a name is not
 * echoed (a line that is not `KEY=value` may be a pasted secret); an interpolation problem in a variable whose name
 * looks sensitive, or that has no name, is said without the value.
 */
export function safeDotenvMessage(message: string, text: string, line: number): string {
  if (message.startsWith('unexpected character')) return 'unexpected character in a variable name (the line is not shown: it may hold a value)';
  if (/^(a variable name cannot|no variable name|unterminated)/.test(message)) return message;
  let start = 0;
  for (let n = 1; n < line && start >= 0; n++) start = text.indexOf('\n', start) + 1 || -1;
  const end = start < 0 ? -1 : text.indexOf('\n', start);
  const name = start < 0 ? null : dotenvLineName(text.slice(start, end < 0 ? undefined : end));
  if (name !== null && !isSensitiveKey(name)) return message;
  return `${name ?? 'a variable'}: ${sensitiveInterpolationMessage(message)}`;
}
