// Walks parsed TOML data alongside the zod schema: strips the user's `x-` keys, finds Bolt-ecosystem keys to warn
// about, and answers "which keys are known here?" for did-you-mean suggestions. Reads zod's public `_zod.def`.
import { z } from 'zod';
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

function isEcosystem(schema: z.ZodType): boolean {
  const meta = z.globalRegistry.get(schema) as Record<string, unknown> | undefined;
  return meta?.[ECOSYSTEM] === true;
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

/** Returns `data` without `x-` keys in schema-object positions, and the paths of Bolt-ecosystem keys present. */
export function prepareTree(schema: z.ZodType, data: unknown): WalkResult {
  const ecosystemPaths: Path[] = [];
  // Scalars come back as they are: only containers are walked (and get a path), which keeps a table of a million
  // scalar entries cheap.
  const sub = (s: z.ZodType, d: unknown, path: Path, key: string | number): unknown =>
    typeof d === 'object' && d !== null ? walk(s, d, [...path, key]) : d;
  const walk = (s: z.ZodType, d: unknown, path: Path): unknown => {
    const u = unwrap(s);
    const def = defOf(u);
    if (def.type === 'union' && def.options) {
      const o = pickOption(def.options, d);
      // A key whose compose form surge applies and whose Bolt form (a table) it does not, e.g. `init`, `runtime`.
      if (o && isEcosystem(o)) {
        ecosystemPaths.push(path);
        return d;
      }
      return o ? walk(o, d, path) : d;
    }
    if (def.type === 'object' && def.shape && isPlainObject(d)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(d)) {
        if (k.startsWith('x-')) continue;
        const child = def.shape[k];
        if (child && isEcosystem(child)) {
          ecosystemPaths.push([...path, k]);
          out[k] = v;
        } else {
          out[k] = child ? sub(child, v, path, k) : v;
        }
      }
      return out;
    }
    if (def.type === 'record' && def.valueType && isPlainObject(d)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(d)) out[k] = sub(def.valueType as z.ZodType, v, path, k);
      return out;
    }
    if (def.type === 'array' && def.element && Array.isArray(d)) {
      return d.map((v, i) => sub(def.element as z.ZodType, v, path, i));
    }
    return d;
  };
  const out = walk(schema, data, []);
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
