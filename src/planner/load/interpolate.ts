// Compose-style variable interpolation: ${VAR}, $VAR, ${VAR:-d}, ${VAR-d}, ${VAR:?msg}, ${VAR?msg},
// ${VAR:+alt}, ${VAR+alt}, and $$ for a literal $. Defaults and alternatives may nest.

export type Lookup = (name: string) => string | undefined;
export type InterpolationResult = { ok: true; value: string } | { ok: false; message: string };

const NAME_START = /[A-Za-z_]/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

class Failure extends Error {}

/** Index of the `}` closing a `${` whose content starts at `from`, counting nested `${…}`. */
function closingBrace(s: string, from: number): number {
  let depth = 1;
  for (let i = from; i < s.length; i++) {
    if (s[i] === '$' && s[i + 1] === '{') {
      depth++;
      i++;
    } else if (s[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function expand(s: string, original: string, lookup: Lookup, onUnset?: (name: string) => void): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i] as string;
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = s[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '{') {
      const end = closingBrace(s, i + 2);
      if (end < 0) throw new Failure(`invalid interpolation format for "${original}": unclosed "\${"`);
      out += braced(s.slice(i + 2, end), original, lookup, onUnset);
      i = end + 1;
    } else if (next !== undefined && NAME_START.test(next)) {
      const name = (NAME.exec(s.slice(i + 1)) as RegExpExecArray)[0];
      const v = lookup(name);
      if (v === undefined) onUnset?.(name);
      out += v ?? '';
      i += 1 + name.length;
    } else {
      out += '$';
      i++;
    }
  }
  return out;
}

function braced(content: string, original: string, lookup: Lookup, onUnset?: (name: string) => void): string {
  const m = NAME.exec(content);
  if (!m) {
    throw new Failure(`invalid interpolation format for "${original}": ${content ? `"\${${content}}" does not start with a variable name` : 'empty "${}"'}`);
  }
  const name = m[0];
  const rest = content.slice(name.length);
  const value = lookup(name);
  if (rest === '') {
    if (value === undefined) onUnset?.(name);
    return value ?? '';
  }
  const op = /^(:-|-|:\?|\?|:\+|\+)/.exec(rest)?.[0];
  if (!op) throw new Failure(`invalid interpolation format for "${original}": unexpected "${rest[0]}" after ${name}`);
  const arg = rest.slice(op.length);
  const set = value !== undefined;
  const nonEmpty = set && value !== '';
  switch (op) {
    case ':-':
      return nonEmpty ? (value as string) : expand(arg, original, lookup, onUnset);
    case '-':
      return set ? (value as string) : expand(arg, original, lookup, onUnset);
    case ':?':
    case '?':
      if (op === ':?' ? nonEmpty : set) return value as string;
      throw new Failure(`required variable ${name} is missing a value${arg ? `: ${expand(arg, original, lookup)}` : ''}`);
    case ':+':
      return nonEmpty ? expand(arg, original, lookup, onUnset) : '';
    default:
      return set ? expand(arg, original, lookup, onUnset) : '';
  }
}

export function interpolate(value: string, lookup: Lookup, onUnset?: (name: string) => void): InterpolationResult {
  if (!value.includes('$')) return { ok: true, value };
  try {
    return { ok: true, value: expand(value, value, lookup, onUnset) };
  } catch (e) {
    if (e instanceof Failure) return { ok: false, message: e.message };
    throw e;
  }
}

/**
 * A new tree with every string value interpolated; failures are reported by path and leave the string as it was.
 * `onUnset` hears of each `${VAR}` / `$VAR` without a default that was replaced by an empty string.
 */
export function interpolateTree(
  tree: unknown,
  lookup: Lookup,
  onError: (path: (string | number)[], message: string) => void,
  onUnset?: (path: (string | number)[], name: string) => void,
): unknown {
  const walk = (v: unknown, path: (string | number)[]): unknown => {
    if (typeof v === 'string') {
      const r = interpolate(v, lookup, onUnset && ((name) => onUnset(path, name)));
      if (r.ok) return r.value;
      onError(path, r.message);
      return v;
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, i]));
    if (v && typeof v === 'object' && !(v instanceof Date)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, [...path, k]);
      return out;
    }
    return v;
  };
  return walk(tree, []);
}
