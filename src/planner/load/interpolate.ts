// Compose-style variable interpolation, case for case as compose-spec/compose-go's template package (its tests are the
// specification, ported in test/unit/planner/load/interpolate.test.ts): ${VAR}, $VAR, ${VAR:-d}, ${VAR-d},
// ${VAR:?msg}, ${VAR?msg}, ${VAR:+alt}, ${VAR+alt}, and $$ for a literal $. Defaults, alternatives and messages may
// nest and are expanded only when used.
//
// compose finds `${NAME<op>…}` with a regular expression whose `.*` runs to the last `}` on the line, then cuts it at
// the first `}` that balances the braces, counting every `{` (and skipping the character after one). This file does
// the same with a single forward scan over index ranges of the original string: no regular expression, no copies of
// the rest of the string, linear in its length times the nesting depth, and the nesting depth is capped so a
// pathological value gives an error rather than a stack overflow. Error messages name variables and positions, never
// a value; a `:?` message is expanded, but a variable whose name looks secret shows as `***` there.
import { isSensitiveKey } from '../../model/config-hash.js';

export type Lookup = (name: string) => string | undefined;
export type InterpolationResult = { ok: true; value: string } | { ok: false; message: string };

/** Nested `${A:-${B:-…}}` levels expanded at most (compose has no limit; its parser recurses). */
export const MAX_NESTING = 64;

const DOLLAR = 36;
const OPEN = 123;
const CLOSE = 125;
const NEWLINE = 10;
const COLON = 58;

class Failure {
  constructor(readonly message: string) {}
}

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}

function isOperator(c: number): boolean {
  return c === 45 || c === 43 || c === 63; // - + ?
}

const HINT = 'write "$$" for a literal "$"';

function invalid(detail: string, at: number): Failure {
  return new Failure(`invalid interpolation format: ${detail} (character ${at + 1}); ${HINT}`);
}

interface Context {
  s: string;
  lookup: Lookup;
  onUnset: ((name: string) => void) | undefined;
}

/** The text of `s[from, to)` with every substitution made. */
function expandRange(ctx: Context, from: number, to: number, depth: number): string {
  if (depth > MAX_NESTING) throw new Failure(`interpolation nested deeper than ${MAX_NESTING} levels`);
  const { s } = ctx;
  let out = '';
  let i = from;
  // The end of the line being scanned (within [from, to)) and the last `}` on it: what compose's `.*}` reaches.
  let lineEnd = -1;
  let lastClose = -1;
  const lastCloseOnLine = (p: number): number => {
    if (p >= lineEnd) {
      const nl = s.indexOf('\n', p);
      lineEnd = nl < 0 || nl >= to ? to : nl;
      const c = lineEnd > 0 ? s.lastIndexOf('}', lineEnd - 1) : -1;
      lastClose = c >= p ? c : -1;
      return lastClose;
    }
    return lastClose >= p ? lastClose : -1;
  };
  while (i < to) {
    let d = s.indexOf('$', i);
    if (d < 0 || d >= to) {
      out += s.slice(i, to);
      break;
    }
    // A run of `$$` escapes is one piece of output, whatever its length.
    let run = d + 1;
    while (run < to && s.charCodeAt(run) === DOLLAR) run++;
    const pairs = (run - d) >> 1;
    out += s.slice(i, d + pairs);
    d += 2 * pairs;
    i = d;
    if (d === run) continue;
    const next = d + 1 < to ? s.charCodeAt(d + 1) : -1;
    if (isNameStart(next)) {
      let e = d + 2;
      while (e < to && isNameChar(s.charCodeAt(e))) e++;
      const name = s.slice(d + 1, e);
      const value = ctx.lookup(name);
      if (value === undefined) ctx.onUnset?.(name);
      out += value ?? '';
      i = e;
      continue;
    }
    if (next !== OPEN) {
      out += '$';
      i = d + 1;
      continue;
    }
    const nameStart = d + 2;
    if (nameStart >= to || !isNameStart(s.charCodeAt(nameStart))) throw invalid('"${" is not followed by a variable name', d);
    let e = nameStart + 1;
    while (e < to && isNameChar(s.charCodeAt(e))) e++;
    const name = s.slice(nameStart, e);
    const c = e < to ? s.charCodeAt(e) : -1;
    if (c === CLOSE) {
      const value = ctx.lookup(name);
      if (value === undefined) ctx.onUnset?.(name);
      out += value ?? '';
      i = e + 1;
      continue;
    }
    let op: string;
    if (c === COLON && e + 1 < to && isOperator(s.charCodeAt(e + 1))) op = s.slice(e, e + 2);
    else if (isOperator(c)) op = s.slice(e, e + 1);
    else if (c === -1 || c === NEWLINE) throw invalid(`"\${${name}" is not closed by "}"`, d);
    else throw invalid(`unexpected ${JSON.stringify(String.fromCharCode(c))} after "\${${name}"`, d);
    const operandStart = e + op.length;
    const matchEnd = lastCloseOnLine(operandStart);
    if (matchEnd < 0) throw invalid(`"\${${name}${op}" is not closed by "}" on the same line`, d);
    const close = firstBalancedClose(s, d, matchEnd);
    out += applyOperator(ctx, name, op, operandStart, close, depth);
    i = close + 1;
  }
  return out;
}

/**
 * compose's closing `}` for the `${` at `start`: counting every `{` (the character after one is skipped) and `}`,
 * the first `}` that balances; when none does before `matchEnd`, the regular expression's own end, `matchEnd`.
 */
function firstBalancedClose(s: string, start: number, matchEnd: number): number {
  let open = 0;
  for (let i = start; i <= matchEnd; i++) {
    const c = s.charCodeAt(i);
    if (c === CLOSE && --open === 0) return i;
    if (c === OPEN) {
      open++;
      i++;
    }
  }
  return matchEnd;
}

function applyOperator(ctx: Context, name: string, op: string, from: number, to: number, depth: number): string {
  const value = ctx.lookup(name);
  const set = value !== undefined;
  const nonEmpty = set && value !== '';
  const operand = (): string => expandRange(ctx, from, to, depth + 1);
  switch (op) {
    case ':-':
      return nonEmpty ? (value as string) : operand();
    case '-':
      return set ? (value as string) : operand();
    case ':+':
      return nonEmpty ? operand() : (value ?? '');
    case '+':
      return set ? operand() : '';
    default: {
      if (op === ':?' ? nonEmpty : set) return value as string;
      // The message is the user's text, expanded as compose does; a secret-looking variable stays hidden in it.
      const hidden: Context = { s: ctx.s, lookup: (k) => (isSensitiveKey(k) && ctx.lookup(k) !== undefined ? '***' : ctx.lookup(k)), onUnset: undefined };
      const message = expandRange(hidden, from, to, depth + 1);
      throw new Failure(`required variable ${name} is missing a value${message ? `: ${message}` : ''}`);
    }
  }
}

export function interpolate(value: string, lookup: Lookup, onUnset?: (name: string) => void): InterpolationResult {
  if (!value.includes('$')) return { ok: true, value };
  try {
    return { ok: true, value: expandRange({ s: value, lookup, onUnset }, 0, value.length, 0) };
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
  /** called with the path of every string that held a `$` (what typed-values.ts may convert) */
  onDollar?: (path: (string | number)[]) => void,
  /**
   * Return a list or table in which no string changed as it is, not a copy. Only for a tree of plain objects that no
   * one else holds and in which no list or table appears twice (toml-fast.ts makes such trees): YAML aliases share
   * one, and a later in-place change must not reach both. Otherwise every list and table is copied, on purpose:
   * smol-toml makes its tables with Object.create(null), which V8 keeps as dictionaries, and every later step (schema
   * walk, zod, normalize) reads the copies' fast plain objects markedly faster (sharing smol-toml's tables made a
   * 5,000-service load ~15 ms slower, not faster).
   */
  shareUnchanged = false,
): unknown {
  // One path stack, copied only when a callback needs it: a Boltfile of thousands of services has tens of thousands
  // of values, and a fresh array per value was most of this walk's cost.
  const path: (string | number)[] = [];
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (!v.includes('$')) return v;
      onDollar?.([...path]);
      const r = interpolate(v, lookup, onUnset && ((name) => onUnset([...path], name)));
      if (r.ok) return r.value;
      onError([...path], r.message);
      return v;
    }
    if (Array.isArray(v)) {
      let out: unknown[] | null = shareUnchanged ? null : new Array<unknown>(v.length);
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        const next = walk(v[i]);
        path.pop();
        if (!out && next !== v[i]) out = v.slice(0, i);
        if (out) out[i] = next;
      }
      return out ?? v;
    }
    if (v && typeof v === 'object' && !(v instanceof Date)) {
      const table = v as Record<string, unknown>;
      const keys = Object.keys(table);
      let out: Record<string, unknown> | null = shareUnchanged ? null : {};
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i] as string;
        path.push(k);
        const next = walk(table[k]);
        path.pop();
        if (!out && next !== table[k]) {
          out = {};
          for (let j = 0; j < i; j++) out[keys[j] as string] = table[keys[j] as string];
        }
        if (out) out[k] = next;
      }
      return out ?? v;
    }
    return v;
  };
  return walk(tree);
}
