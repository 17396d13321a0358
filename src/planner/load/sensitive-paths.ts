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
