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

export function convert(text: string, kind: Kind, interpolated = true): Converted {
  const what = kind === 'integer' ? 'an integer' : kind === 'number' ? 'a number' : 'a boolean';
  const after = interpolated ? ' after interpolation' : '';
  if (text === '') return { ok: false, message: `expected ${what}${after}, got an empty string` };
  if (kind === 'boolean') {
    const lower = text.toLowerCase();
    if (TRUE.has(lower)) return lower === 'true' ? { ok: true, value: true } : { ok: true, value: true, yaml11: true };
    if (FALSE.has(lower)) return lower === 'false' ? { ok: true, value: false } : { ok: true, value: false, yaml11: true };
    return { ok: false, message: `expected a boolean${after} (true or false)` };
  }
  if (!(kind === 'integer' ? INTEGER : DECIMAL).test(text)) {
    return { ok: false, message: `expected ${what}${after} (${kind === 'integer' ? 'digits, e.g. 3' : 'e.g. 1.5'})` };
  }
  const value = Number(text);
  if (kind === 'integer' ? !Number.isSafeInteger(value) : !Number.isFinite(value)) return { ok: false, message: `expected ${what}${after}: out of range` };
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
 * Converts, in `data` (the interpolated tree, changed in place), the strings at `paths` (those that held a `$` as
 * written) where the schema wants a number or a boolean. A string that does not convert is reported and left as it is.
 * Only the given paths are visited: the cost is the number of interpolated strings times their depth, not the size
 * of the document.
 */
export function castInterpolated(schema: z.ZodType, data: unknown, paths: Path[], report: CastReport, options: { interpolatedOnly?: boolean } = {}): unknown {
  const interpolated = options.interpolatedOnly ?? true;
  for (const path of paths) {
    let s: z.ZodType | undefined = schema;
    let parent: unknown = null;
    let d: unknown = data;
    for (let i = 0; i <= path.length && s; i++) {
      if (i === path.length) {
        if (typeof d !== 'string' || parent === null) break;
        const kind = kindFor(unwrap(s), d);
        if (!kind) break;
        const c = convert(d, kind, interpolated);
        if (!c.ok) {
          report.error(path, c.message);
          break;
        }
        if (c.yaml11) {
          // compose's own warning for a compose file; a Boltfile's variable gets the same advice in its words.
          report.warn(path, interpolated ? 'after interpolation, a YAML 1.1 boolean spelling (y, yes, on, n, no, off): write true or false' : `"${d}" for boolean is not supported by YAML 1.2, please use \`${c.value}\``);
        }
        (parent as Record<string | number, unknown>)[path[i - 1] as string | number] = c.value;
        break;
      }
      let def = defOf(unwrap(s));
      if (def.type === 'union' && def.options) {
        const o = pickOption(def.options, d);
        if (!o) break;
        def = defOf(unwrap(o));
      }
      const seg = path[i] as string | number;
      if (def.type === 'object' && def.shape && isPlainObject(d)) s = def.shape[seg as string];
      else if (def.type === 'record' && def.valueType && isPlainObject(d)) s = def.valueType;
      else if (def.type === 'array' && def.element && Array.isArray(d)) s = def.element;
      else break;
      parent = d;
      d = (d as Record<string | number, unknown>)[seg];
    }
  }
  return data;
}
