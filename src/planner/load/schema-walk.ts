// Walks parsed TOML data alongside the zod schema: strips the user's `x-` keys, finds Bolt-ecosystem keys to warn
// about, and answers "which keys are known here?" for did-you-mean suggestions. Reads zod's public `_zod.def`.
import * as z from 'zod';
import { ECOSYSTEM } from './schema-forms.js';

export type Path = (string | number)[];

export interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  options?: z.ZodType[];
  valueType?: z.ZodType;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  /** checks (e.g. `.int()`), literal values, enum entries: read by typed-values.ts */
  checks?: { _zod: { def: { check?: string; format?: string } } }[];
  values?: unknown[];
  entries?: Record<string, unknown>;
}

export function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

// Asked for every key of every table the walk meets; zod's registry answers a schema with a parent (`.optional()`
// and the like) by merging copies of its metadata, so each schema's answer is kept (schemas and their metadata are
// fixed once built).
const ecosystem = new WeakMap<z.ZodType, boolean>();

function isEcosystem(schema: z.ZodType): boolean {
  let known = ecosystem.get(schema);
  if (known === undefined) {
    const meta = z.globalRegistry.get(schema) as Record<string, unknown> | undefined;
    known = meta?.[ECOSYSTEM] === true;
    ecosystem.set(schema, known);
  }
  return known;
}

export function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    const d = defOf(s);
    if ((d.type === 'optional' || d.type === 'nullable' || d.type === 'default') && d.innerType) s = d.innerType;
    else if (d.type === 'pipe' && d.in) s = d.in;
    else return s;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** The option of a union that fits the data's JS type (objects → object/record, arrays → array). */
export function pickOption(options: z.ZodType[], data: unknown): z.ZodType | null {
  const want = Array.isArray(data) ? ['array'] : isPlainObject(data) ? ['object', 'record'] : null;
  if (!want) return null;
  for (const o of options) {
    const u = unwrap(o);
    if (want.includes(defOf(u).type)) return u;
  }
  return null;
}

export interface WalkResult {
  data: unknown;
  ecosystemPaths: Path[];
}

/** Where the walk is: the key it came by and where that was from (the root's is null); a path only when reported. */
interface At {
  parent: At | null;
  key: string | number;
}

function pathOf(at: At | null): Path {
  const path: Path = [];
  for (let a = at; a; a = a.parent) path.push(a.key);
  return path.reverse();
}

/**
 * Returns `data` without `x-` keys in schema-object positions, and the paths of Bolt-ecosystem keys present. Copy on
 * write: a list or table is copied only when something under it changes, else the same one is returned (a
 * 5,000-service Boltfile has none of these keys, and copying every table was most of this walk's time and memory).
 */
export function prepareTree(schema: z.ZodType, data: unknown): WalkResult {
  const ecosystemPaths: Path[] = [];
  // Scalars come back as they are: only containers are walked (and get a place), which keeps a table of a million
  // scalar entries cheap.
  const sub = (s: z.ZodType, d: unknown, at: At | null, key: string | number): unknown =>
    typeof d === 'object' && d !== null ? walk(s, d, { parent: at, key }) : d;
  /** `d`'s entries before `keys[upTo]` (all unchanged so far) in a new table. */
  const copyBefore = (d: Record<string, unknown>, keys: string[], upTo: number): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (let j = 0; j < upTo; j++) out[keys[j] as string] = d[keys[j] as string];
    return out;
  };
  const walk = (s: z.ZodType, d: unknown, at: At | null): unknown => {
    const u = unwrap(s);
    const def = defOf(u);
    if (def.type === 'union' && def.options) {
      const o = pickOption(def.options, d);
      // A key whose compose form surge applies and whose Bolt form (a table) it does not, e.g. `init`, `runtime`.
      if (o && isEcosystem(o)) {
        ecosystemPaths.push(pathOf(at));
        return d;
      }
      return o ? walk(o, d, at) : d;
    }
    if (def.type === 'object' && def.shape && isPlainObject(d)) {
      const keys = Object.keys(d);
      let out: Record<string, unknown> | null = null;
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i] as string;
        const v = d[k];
        if (k.startsWith('x-')) {
          out ??= copyBefore(d, keys, i);
          continue;
        }
        const child = def.shape[k];
        let next = v;
        if (child && isEcosystem(child)) ecosystemPaths.push([...pathOf(at), k]);
        else if (child) next = sub(child, v, at, k);
        // (`__proto__` as a key is copied as before: assigned, not defined)
        if (!out && (next !== v || k === '__proto__')) out = copyBefore(d, keys, i);
        if (out) out[k] = next;
      }
      return out ?? d;
    }
    if (def.type === 'record' && def.valueType && isPlainObject(d)) {
      const keys = Object.keys(d);
      let out: Record<string, unknown> | null = null;
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i] as string;
        const v = d[k];
        const next = sub(def.valueType as z.ZodType, v, at, k);
        if (!out && (next !== v || k === '__proto__')) out = copyBefore(d, keys, i);
        if (out) out[k] = next;
      }
      return out ?? d;
    }
    if (def.type === 'array' && def.element && Array.isArray(d)) {
      let out: unknown[] | null = null;
      for (let i = 0; i < d.length; i++) {
        const v: unknown = d[i];
        const next = sub(def.element as z.ZodType, v, at, i);
        if (next !== v) (out ??= d.slice())[i] = next;
      }
      return out ?? d;
    }
    return d;
  };
  const out = walk(schema, data, null);
  return { data: out, ecosystemPaths };
}

/** Keys the schema accepts for the object at `path` in `data` (excluding ecosystem keys), for suggestions. */
export function knownKeysAt(schema: z.ZodType, data: unknown, path: Path): string[] {
  let s: z.ZodType | null = schema;
  let d: unknown = data;
  const step = (seg: string | number): void => {
    if (!s) return;
    let u = unwrap(s);
    let def = defOf(u);
    if (def.type === 'union' && def.options) {
      const o = pickOption(def.options, d);
      if (!o) {
        s = null;
        return;
      }
      u = o;
      def = defOf(u);
    }
    const next = isPlainObject(d) || Array.isArray(d) ? (d as Record<string | number, unknown>)[seg] : undefined;
    if (def.type === 'object' && def.shape && typeof seg === 'string') s = def.shape[seg] ?? null;
    else if (def.type === 'record' && def.valueType) s = def.valueType;
    else if (def.type === 'array' && def.element) s = def.element;
    else s = null;
    d = next;
  };
  for (const seg of path) step(seg);
  if (!s) return [];
  let u = unwrap(s);
  let def = defOf(u);
  if (def.type === 'union' && def.options) {
    const o = pickOption(def.options, d);
    if (!o) return [];
    u = o;
    def = defOf(u);
  }
  if (def.type !== 'object' || !def.shape) return [];
  return Object.entries(def.shape)
    .filter(([, v]) => !isEcosystem(v))
    .map(([k]) => k);
}
