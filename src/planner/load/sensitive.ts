// Which values in a Boltfile or an env file may be secrets, and messages about them that never show them. A problem
// with a secret says which key and where (FILE:LINE:COL, key path), never the value, nor any part of it: a message
// may end up in CI logs, terminals shared on screen, bug reports.
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
 * An interpolation problem in a sensitive value, said without the value: which variable is missing (a name, not a
 * value), or what kind of syntax error it is.
 */
export function sensitiveInterpolationMessage(message: string): string {
  const required = /^required variable [A-Za-z_][A-Za-z0-9_]* is missing a value/.exec(message);
  if (required) return `${required[0]} (the value is sensitive and not shown)`;
  const reason = message.endsWith('unclosed "${"') ? ': unclosed "${"' : message.endsWith('empty "${}"') ? ': empty "${}"' : '';
  return `invalid interpolation format${reason} (the value is sensitive and not shown)`;
}

/** The name a .env line assigns, when it has an `=` (the text before it is a name, never a value). */
function dotenvLineName(line: string): string | null {
  const body = line.trimStart().replace(/^export\s+/, '');
  const eq = body.indexOf('=');
  return eq < 0 ? null : body.slice(0, eq).trim();
}

/**
 * A .env parse problem without anything from the line that may be a value. An invalid name is not echoed (a line
 * that is not `KEY=value` may be a pasted secret, `=` padding included); the location points at it. An
 * interpolation problem in a sensitive variable is said without its value.
 */
export function safeDotenvMessage(message: string, text: string, line: number): string {
  if (message.startsWith('invalid variable name')) {
    return 'invalid line: write KEY=value, the name made of letters, digits, "_", "." and "-" (the line is not shown: it may hold a value)';
  }
  const name = dotenvLineName(text.split(/\r\n?|\n/)[line - 1] ?? '');
  if (message.startsWith('unterminated ')) return message;
  if (name !== null && !isSensitiveKey(name)) return message;
  return `${name ?? 'a variable'}: ${sensitiveInterpolationMessage(message)}`;
}
