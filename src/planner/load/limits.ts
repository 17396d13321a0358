// The loader's limits on hostile input: how big a config file and how deep a document may be. Every walker after
// the parser (interpolation, schema walk, merge, zod, structuredClone) recurses once per level of nesting, so the
// depth is capped before any of them runs; the size cap bounds the time and memory of everything else.
import type { Path } from './schema-walk.js';

/** Largest Boltfile or env file surge reads: real ones are a few KiB. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
export const MAX_CONFIG_SIZE_TEXT = '4 MiB';

/**
 * Deepest nesting of tables, arrays, inline tables and dotted keys together (the root table is level 0). Real
 * Boltfiles and compose files stay under 10 (`services.web.develop.watch[0].exec.command[0]` is 7).
 */
export const MAX_NESTING = 64;

/**
 * Most values (keys and list entries, at any depth) one document may hold. The schema check keeps a record of every
 * value it refuses, so this bounds its memory too (about 330 MB for 100,000 refused values; a 5,000-service
 * Boltfile holds some 40,000 values).
 */
export const MAX_VALUES = 100_000;

/** The problem with a document holding more than MAX_VALUES values, naming its largest list or table. */
export function tooManyValuesMessage(largest: string, size: number): string {
  const n = (x: number): string => x.toLocaleString('en-US');
  return `more than ${n(MAX_VALUES)} values (keys and list entries; the largest list or table, ${largest || 'the top level'}, holds ${n(size)}): surge reads documents of at most ${n(MAX_VALUES)}`;
}

/** How many values (keys and list entries, at any depth) `data` holds: iterative, linear, stops past `max`. */
export function countValues(data: unknown, max = MAX_VALUES): number {
  let count = 0;
  const stack: unknown[] = [data];
  while (stack.length && count <= max) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null || value instanceof Date) continue;
    const children = Array.isArray(value) ? value : Object.values(value);
    count += children.length;
    for (const c of children) if (typeof c === 'object' && c !== null) stack.push(c);
  }
  return count;
}

const TOML_VALUE_MARKS = ['=', '.', '[', ','] as const;

/**
 * At least as many as the values (what countValues counts) a TOML text can hold, read off the text alone: a key =
 * value needs its `=`, each further segment of a dotted key or table header its `.`, a header, an array of tables'
 * entry or a list its `[`, each further list entry its `,` (an inline table's entries are key = value). Strings and
 * comments only add to the count. A few native searches: no walk of the parsed document.
 */
export function tomlValueBound(text: string): number {
  let bound = 0;
  for (const mark of TOML_VALUE_MARKS) {
    for (let i = text.indexOf(mark); i !== -1; i = text.indexOf(mark, i + 1)) bound++;
  }
  return bound;
}

export function nestingMessage(): string {
  return `nesting deeper than ${MAX_NESTING} levels (tables, arrays, inline tables and dotted keys together): surge reads documents up to ${MAX_NESTING} levels deep`;
}

/** The path of the list or table with the most entries (the root's is []), and how many: iterative, linear. */
export function largestContainer(data: unknown): { path: Path; size: number } {
  let best: { path: Path; size: number } = { path: [], size: 0 };
  const stack: { value: unknown; path: Path }[] = [{ value: data, path: [] }];
  while (stack.length) {
    const { value, path } = stack.pop() as { value: unknown; path: Path };
    if (typeof value !== 'object' || value === null || value instanceof Date) continue;
    const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
    if (keys.length > best.size) best = { path, size: keys.length };
    for (const k of keys) {
      const v = (value as Record<string | number, unknown>)[k];
      if (typeof v === 'object' && v !== null) stack.push({ value: v, path: [...path, k] });
    }
  }
  return best;
}

/**
 * The path of a value nested deeper than `max` levels (its path is longer than `max`) in a parsed document, or
 * null. Iterative and linear: safe on any tree a parser can return (a guard after the parser's own limits, and for
 * parsers without one).
 */
export function tooDeepPath(data: unknown, max = MAX_NESTING): Path | null {
  // Nearly every document is within the cap: a walk that only counts and compares depths answers that (no record per
  // container, no key list per array: a third of this check's time on a 5,000-service Boltfile); the path is sought
  // only then.
  if (!measure(data, max).tooDeep) return null;
  // Containers only, each with its depth and how it was reached; a path is spelled out only for the answer.
  interface Step {
    value: object;
    depth: number;
    key: string | number;
    parent: Step | null;
  }
  const pathOf = (s: Step | null, last: string | number): Path => {
    const path: Path = [last];
    for (let p = s; p?.parent; p = p.parent) path.unshift(p.key);
    return path;
  };
  if (typeof data !== 'object' || data === null) return null;
  const stack: Step[] = [{ value: data, depth: 0, key: '', parent: null }];
  while (stack.length) {
    const step = stack.pop() as Step;
    const keys: (string | number)[] = Array.isArray(step.value) ? step.value.map((_, i) => i) : Object.keys(step.value);
    for (const k of keys) {
      const v = (step.value as Record<string | number, unknown>)[k];
      if (step.depth + 1 > max) return pathOf(step, k);
      if (typeof v === 'object' && v !== null && !(v instanceof Date)) stack.push({ value: v, depth: step.depth + 1, key: k, parent: step });
    }
  }
  return null;
}

/**
 * One walk for both limits (a freshly parsed document's tables are slow to walk: the TOML parser makes them without
 * a prototype): how many values `data` holds (what countValues counts, past `MAX_VALUES` too), and whether some list
 * or table at depth `max` or deeper has an entry (what makes tooDeepPath answer a path).
 */
export function measure(data: unknown, max = MAX_NESTING): { values: number; tooDeep: boolean } {
  let values = 0;
  if (typeof data !== 'object' || data === null || data instanceof Date) return { values, tooDeep: false };
  const containers: object[] = [data];
  const depths: number[] = [0];
  while (containers.length) {
    const value = containers.pop() as object;
    const depth = depths.pop() as number;
    const children: unknown[] = Array.isArray(value) ? value : Object.values(value);
    if (children.length && depth + 1 > max) return { values, tooDeep: true };
    values += children.length;
    for (let i = 0; i < children.length; i++) {
      const v = children[i];
      if (typeof v === 'object' && v !== null && !(v instanceof Date)) {
        containers.push(v);
        depths.push(depth + 1);
      }
    }
  }
  return { values, tooDeep: false };
}
