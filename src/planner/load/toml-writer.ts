// TOML 1.0 text a person would write: `[services.web]` tables, mappings of user data (`environment`, `labels`,
// `build.args`) as tables of their own, small tables inline, long arrays one element a line, comments above the
// key they are about. Values only (no null: a key without a value is left out). The Boltfile writers use it.
import type { Path } from './schema-walk.js';
import { isPlainObject } from './tree.js';

export interface TomlWriteOptions {
  /** lines written above the document */
  header?: string[];
  /** lines written above a key or a table, by path */
  comments?: Map<string, string[]>;
  /** whether a table is written as a `[table]` of its own rather than inline (default: see `defaultSubTable`) */
  subTable?: (path: Path, value: Record<string, unknown>) => boolean;
}

export const pathKey = (path: Path): string => JSON.stringify(path);

const MAX_INLINE = 88;

export function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : tomlString(key);
}

export function tomlString(s: string): string {
  // JSON's escapes are TOML's, but for DEL, which TOML wants escaped too.
  return JSON.stringify(s).replaceAll('\u007f', '\\u007f');
}

function scalar(v: unknown): string | null {
  if (typeof v === 'string') return tomlString(v);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'nan';
    if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
    return String(v);
  }
  if (typeof v === 'bigint') return String(v);
  return null;
}

/** A value on one line: scalars, arrays and inline tables (null entries left out). */
export function inlineValue(v: unknown): string {
  const s = scalar(v);
  if (s !== null) return s;
  if (Array.isArray(v)) {
    const items = v.filter((x) => x !== null && x !== undefined).map(inlineValue);
    return items.length ? `[${items.join(', ')}]` : '[]';
  }
  if (isPlainObject(v)) {
    const entries = Object.entries(v).filter(([, x]) => x !== null && x !== undefined);
    return entries.length ? `{ ${entries.map(([k, x]) => `${tomlKey(k)} = ${inlineValue(x)}`).join(', ')} }` : '{}';
  }
  throw new Error(`cannot write ${typeof v} as TOML`);
}

/** A value after `key = `: arrays too long for a line get one element a line. */
function value(v: unknown, indent: number): string {
  const one = inlineValue(v);
  if (!Array.isArray(v) || one.length + indent <= MAX_INLINE || v.length < 2) return one;
  return `[\n${v
    .filter((x) => x !== null && x !== undefined)
    .map((x) => `  ${inlineValue(x)},`)
    .join('\n')}\n]`;
}

/** Mappings of user data and the top-level groupings are tables of their own; other tables inline when short. */
export function defaultSubTable(path: Path, table: Record<string, unknown>): boolean {
  if (path.length <= 2) return true;
  const [top, , key] = path;
  if (top === 'services' && path.length === 3 && ['environment', 'env', 'labels', 'build', 'healthcheck', 'health', 'develop', 'gpu'].includes(String(key))) return true;
  if (top === 'services' && path.length === 4 && ['args', 'labels'].includes(String(path[3]))) return true;
  // A table directly under a service reads better as its own `[table]` once it is not tiny; one more level down
  // (a depends_on entry) it stays inline while it fits a line.
  return inlineValue(table).length > (path.length >= 4 ? MAX_INLINE : 60);
}

export function writeToml(doc: Record<string, unknown>, options: TomlWriteOptions = {}): string {
  const subTable = options.subTable ?? defaultSubTable;
  const comments = options.comments ?? new Map<string, string[]>();
  const out: string[] = [...(options.header ?? []).map((l) => (l ? `# ${l}` : '#'))];
  if (out.length) out.push('');
  const commentLines = (path: Path): string[] => (comments.get(pathKey(path)) ?? []).map((l) => `# ${l}`);

  const table = (path: Path, t: Record<string, unknown>): void => {
    const simple: [string, unknown][] = [];
    const tables: [string, Record<string, unknown>][] = [];
    for (const [k, v] of Object.entries(t)) {
      if (v === null || v === undefined) continue;
      if (isPlainObject(v) && subTable([...path, k], v)) tables.push([k, v]);
      else simple.push([k, v]);
    }
    // `[services.web]` even when all it holds are tables of its own: each service, network and volume reads as one.
    if (path.length && (simple.length || !tables.length || path.length === 2)) {
      if (out.length && out.at(-1) !== '') out.push('');
      out.push(...commentLines(path), `[${path.map((p) => tomlKey(String(p))).join('.')}]`);
    } else if (path.length) {
      out.push(...commentLines(path));
    }
    for (const [k, v] of simple) {
      out.push(...commentLines([...path, k]));
      const key = tomlKey(k);
      out.push(`${key} = ${value(v, key.length + 3)}`);
    }
    for (const [k, v] of tables) table([...path, k], v);
  };
  table([], doc);
  while (out.at(-1) === '') out.pop();
  return `${out.join('\n')}\n`;
}
