// TOML makes a value that uses interpolation a string (`replicas = "${N}"`, `privileged = "${P}"`). Where the field
// takes a number or a boolean, the interpolated string is converted as compose-go converts it (loader/interpolate.go,
// its TypeCastMapping): integers as strconv.Atoi reads them (an optional sign and digits: "1.5" is not one),
// numbers as strconv.ParseFloat reads decimal ones, booleans as true/false in any case, and y/yes/on, n/no/off with a
// warning (YAML 1.1 spellings). Only strings that contained `$` are converted: a literal string in a typed field is
// still the schema's error. Messages name the field and what it takes, never the value.
import type { z } from 'zod';
import { defOf, pickOption, unwrap, type Path } from './schema-walk.js';
import { isPlainObject } from './tree.js';

type Kind = 'integer' | 'number' | 'boolean';

export type Converted = { ok: true; value: number | boolean; yaml11?: true } | { ok: false; message: string };

const INTEGER = /^[+-]?[0-9]+$/;
const DECIMAL = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const TRUE = new Set(['true', 'y', 'yes', 'on']);
const FALSE = new Set(['false', 'n', 'no', 'off']);

export function convert(text: string, kind: Kind): Converted {
  const what = kind === 'integer' ? 'an integer' : kind === 'number' ? 'a number' : 'a boolean';
  if (text === '') return { ok: false, message: `expected ${what} after interpolation, got an empty string` };
  if (kind === 'boolean') {
    const lower = text.toLowerCase();
    if (TRUE.has(lower)) return lower === 'true' ? { ok: true, value: true } : { ok: true, value: true, yaml11: true };
    if (FALSE.has(lower)) return lower === 'false' ? { ok: true, value: false } : { ok: true, value: false, yaml11: true };
    return { ok: false, message: 'expected a boolean after interpolation (true or false)' };
  }
  if (!(kind === 'integer' ? INTEGER : DECIMAL).test(text)) {
    return { ok: false, message: `expected ${what} after interpolation (${kind === 'integer' ? 'digits, e.g. 3' : 'e.g. 1.5'})` };
  }
  const value = Number(text);
  if (kind === 'integer' ? !Number.isSafeInteger(value) : !Number.isFinite(value)) return { ok: false, message: `expected ${what} after interpolation: out of range` };
  return { ok: true, value };
}

function isInteger(schema: z.ZodType): boolean {
  return (defOf(schema).checks ?? []).some((c) => c._zod.def.check === 'number_format' && /int/.test(c._zod.def.format ?? ''));
}

function acceptsString(schema: z.ZodType, text: string): boolean {
  const d = defOf(schema);
  if (d.type === 'string' || d.type === 'unknown' || d.type === 'any') return true;
  if (d.type === 'literal') return (d.values ?? []).includes(text);
  if (d.type === 'enum') return Object.values(d.entries ?? {}).includes(text);
  return false;
}

/** What the field takes when it is not this string: a number, an integer, a boolean, or null (it takes strings). */
function kindFor(schema: z.ZodType, text: string): Kind | null {
  const d = defOf(schema);
  const options = d.type === 'union' && d.options ? d.options.map(unwrap) : [schema];
  if (options.some((o) => acceptsString(o, text))) return null;
  for (const o of options) {
    const t = defOf(o).type;
    if (t === 'number') return isInteger(o) ? 'integer' : 'number';
    if (t === 'boolean') return 'boolean';
  }
  return null;
}

export interface CastReport {
  error(path: Path, message: string): void;
  warn(path: Path, message: string): void;
}

/**
 * `data` (interpolated) with the strings converted where `raw` (as written) had a `$` and the schema wants a number
 * or a boolean. A string that does not convert is reported and left as it is.
 */
export function castInterpolated(schema: z.ZodType, raw: unknown, data: unknown, report: CastReport): unknown {
  const walk = (s: z.ZodType, r: unknown, d: unknown, path: Path): unknown => {
    const u = unwrap(s);
    const def = defOf(u);
    if (typeof d === 'string') {
      if (typeof r !== 'string' || !r.includes('$')) return d;
      const kind = kindFor(u, d);
      if (!kind) return d;
      const c = convert(d, kind);
      if (!c.ok) {
        report.error(path, c.message);
        return d;
      }
      if (c.yaml11) report.warn(path, 'after interpolation, a YAML 1.1 boolean spelling (y, yes, on, n, no, off): write true or false');
      return c.value;
    }
    if (def.type === 'union' && def.options) {
      const o = pickOption(def.options, d);
      return o ? walk(o, r, d, path) : d;
    }
    if (def.type === 'object' && def.shape && isPlainObject(d)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(d)) {
        const child = def.shape[k];
        out[k] = child ? walk(child, isPlainObject(r) ? r[k] : undefined, v, [...path, k]) : v;
      }
      return out;
    }
    if (def.type === 'record' && def.valueType && isPlainObject(d)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(d)) out[k] = walk(def.valueType, isPlainObject(r) ? r[k] : undefined, v, [...path, k]);
      return out;
    }
    if (def.type === 'array' && def.element && Array.isArray(d)) {
      const element = def.element;
      return d.map((v, i) => walk(element, Array.isArray(r) ? r[i] : undefined, v, [...path, i]));
    }
    return d;
  };
  return walk(schema, raw, data, []);
}
