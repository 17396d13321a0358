// Small helpers over the parsed document tree (TOML or YAML data: plain objects, arrays, scalars).
import type { Path } from './schema-walk.js';

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

export function hasPath(data: unknown, path: Path): boolean {
  let d: unknown = data;
  for (const seg of path) {
    if (Array.isArray(d) && typeof seg === 'number') d = d[seg];
    else if (isPlainObject(d) && typeof seg === 'string' && Object.hasOwn(d, seg)) d = d[seg];
    else return false;
  }
  return true;
}

export function valueAt(data: unknown, path: Path): unknown {
  let d: unknown = data;
  for (const seg of path) d = (d as Record<string | number, unknown> | undefined)?.[seg];
  return d;
}

export function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `${out ? '.' : ''}"${seg}"`;
  }
  return out;
}
