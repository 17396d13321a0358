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

export function nestingMessage(): string {
  return `nesting deeper than ${MAX_NESTING} levels (tables, arrays, inline tables and dotted keys together): surge reads documents up to ${MAX_NESTING} levels deep`;
}

/**
 * The path of a value nested deeper than `max` levels (its path is longer than `max`) in a parsed document, or
 * null. Iterative and linear: safe on any tree a parser can return (a guard after the parser's own limits, and for
 * parsers without one).
 */
export function tooDeepPath(data: unknown, max = MAX_NESTING): Path | null {
  const stack: { value: unknown; path: Path }[] = [{ value: data, path: [] }];
  while (stack.length) {
    const { value, path } = stack.pop() as { value: unknown; path: Path };
    if (typeof value !== 'object' || value === null || value instanceof Date) continue;
    const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    if (entries.length && path.length >= max) return [...path, (entries[0] as [string | number, unknown])[0]];
    for (const [k, v] of entries) stack.push({ value: v, path: [...path, k] });
  }
  return null;
}
