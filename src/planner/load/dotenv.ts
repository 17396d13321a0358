// Env files, read case for case as compose-spec/compose-go's dotenv parser (its tests are the specification, ported in
// test/unit/planner/load/dotenv.test.ts): `KEY=value`, `KEY: value`, `export KEY=value`, a bare `KEY` (taken from
// `lookup`), '…' (literal), "…" (escapes, then ${VAR}), unquoted (to the end of the line, ` #` starts a comment),
// quoted values over several lines, and `${VAR}` taking `lookup` first, then what earlier lines (and files) set.
// Also docker's `raw` format (env_file `format = "raw"`): `KEY=value` taken as written.
//
// One forward scan, no regular expression over the input and no recursion: linear in the input's size. Errors are
// located (line, column) and never quote a value.
import { interpolate, type Lookup } from './interpolate.js';

export type { Lookup } from './interpolate.js';

export interface DotenvEntry {
  key: string;
  value: string;
  line: number;
}

export type DotenvResult = { ok: true; entries: DotenvEntry[] } | { ok: false; line: number; column: number; message: string };

const NEWLINE = 10;

/** compose's `isSpace`: white space that does not end a line. */
function isInlineSpace(c: number): boolean {
  return c === 9 || c === 11 || c === 12 || c === 13 || c === 32 || c === 0x85 || c === 0xa0;
}

/** Go's unicode.IsSpace. */
function isUnicodeSpace(c: number): boolean {
  if (c <= 0xff) return c === 10 || isInlineSpace(c);
  return c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

function trimEndUnicode(s: string): string {
  let end = s.length;
  while (end > 0 && isUnicodeSpace(s.charCodeAt(end - 1))) end--;
  return s.slice(0, end);
}

const LETTER_OR_NUMBER = /^[\p{L}\p{N}]$/u;

function isKeyChar(cp: number): boolean {
  // _ . - [ ] and any letter or number, as compose accepts them
  if (cp < 128) return (cp >= 48 && cp <= 57) || (cp >= 65 && cp <= 90) || (cp >= 97 && cp <= 122) || cp === 95 || cp === 46 || cp === 45 || cp === 91 || cp === 93;
  return LETTER_OR_NUMBER.test(String.fromCodePoint(cp));
}

/** Go's `\s` after `export`. */
function isExportSpace(c: number): boolean {
  return c === 9 || c === 10 || c === 12 || c === 13 || c === 32;
}

const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '"': '"', '\\': '\\', $: '$$' };

/**
 * The escapes of a double-quoted value: \a \b \f \n \r \t \v \" \\, \0NNN (octal), and `\$` which becomes
 * interpolation's own `$$` so it is never expanded. Any other backslash stays as written (`\x07`, `\u12e4`).
 */
export function expandEscapes(text: string): string {
  let out = '';
  let last = 0;
  for (let p = text.indexOf('\\'); p >= 0 && p + 1 < text.length; p = text.indexOf('\\', p)) {
    const c = text[p + 1] as string;
    const simple = SIMPLE_ESCAPES[c];
    if (simple !== undefined) {
      out += text.slice(last, p) + simple;
      last = p = p + 2;
    } else if (c === '0') {
      let q = p + 2;
      while (q < text.length && q < p + 5 && text.charCodeAt(q) >= 48 && text.charCodeAt(q) <= 57) q++;
      const digits = text.slice(p + 2, q);
      const code = digits.length === 3 && !/[89]/.test(digits) ? parseInt(digits, 8) : NaN;
      out += text.slice(last, p) + (code <= 255 ? String.fromCharCode(code) : text.slice(p, q));
      last = p = q;
    } else {
      p++;
    }
  }
  return out + text.slice(last);
}

/**
 * Parses a .env file. `lookup` answers first, for a bare `KEY` and for `${VAR}` in values; then `vars`, which holds
 * what earlier files set and receives every entry of this one (so a later line, or file, sees it).
 */
export function parseDotenv(source: string, lookup: Lookup = () => undefined, vars: Map<string, string> = new Map()): DotenvResult {
  const s = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const n = s.length;
  const entries: DotenvEntry[] = [];
  const resolve: Lookup = (k) => lookup(k) ?? vars.get(k);
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const fail = (at: number, atLine: number, atLineStart: number, message: string): DotenvResult => ({
    ok: false,
    line: atLine,
    column: at - atLineStart + 1,
    message,
  });
  for (;;) {
    // The start of a statement: past white space, blank lines and whole-line comments.
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === NEWLINE) {
        line++;
        lineStart = ++i;
      } else if (isUnicodeSpace(c)) i++;
      else if (c === 35) {
        const nl = s.indexOf('\n', i);
        i = nl < 0 ? n : nl;
      } else break;
    }
    if (i >= n) break;
    if (s.startsWith('export', i) && isExportSpace(s.charCodeAt(i + 6))) {
      i += 6;
      while (i < n && isInlineSpace(s.charCodeAt(i))) i++;
    }

    const keyStart = i;
    const keyLine = line;
    let sep = n;
    while (i < n) {
      const cp = s.codePointAt(i) as number;
      if (cp === 61 || cp === 58 || cp === NEWLINE) {
        sep = i;
        break;
      }
      if (!isInlineSpace(cp) && !isKeyChar(cp)) {
        return fail(i, line, lineStart, `unexpected character ${JSON.stringify(String.fromCodePoint(cp))} in variable name`);
      }
      i += cp > 0xffff ? 2 : 1;
    }
    const key = trimEndUnicode(s.slice(keyStart, sep));
    if (key.includes(' ')) return fail(keyStart, line, lineStart, 'a variable name cannot contain a space');

    // A bare `KEY` takes its value from `lookup`, or is left out. compose reads a last line without its newline as
    // a value with an empty name; surge reads it as the bare KEY it is.
    if (sep === n || s.charCodeAt(sep) === NEWLINE) {
      const v = lookup(key);
      if (v !== undefined) {
        vars.set(key, v);
        entries.push({ key, value: v, line: keyLine });
      }
      i = sep;
      continue;
    }

    i = sep + 1;
    while (i < n && isInlineSpace(s.charCodeAt(i))) i++;
    const q = s.charCodeAt(i);
    let value: string;
    if (q === 34 || q === 39) {
      const quoteLine = line;
      const quoteLineStart = lineStart;
      const quoteAt = i;
      const quote = s[i] as string;
      let text = '';
      let segment = i + 1;
      let k = i + 1;
      for (;;) {
        k = s.indexOf(quote, k);
        if (k < 0) return fail(quoteAt, quoteLine, quoteLineStart, 'unterminated quoted value');
        // An odd run of backslashes before the quote escapes it: \" (or \') is the quote itself. Every other
        // backslash stays for expandEscapes.
        let run = k;
        while (run > quoteAt + 1 && s.charCodeAt(run - 1) === 92) run--;
        if ((k - run) % 2 === 0) break;
        text += s.slice(segment, k - 1);
        segment = k++;
      }
      for (let nl = s.indexOf('\n', quoteAt); nl >= 0 && nl < k; nl = s.indexOf('\n', nl + 1)) {
        line++;
        lineStart = nl + 1;
      }
      text += s.slice(segment, k);
      if (q === 34) {
        const r = interpolate(expandEscapes(text), resolve);
        if (!r.ok) return fail(quoteAt, quoteLine, quoteLineStart, r.message);
        value = r.value;
      } else value = text;
      // What follows the closing quote on its line is read as more statements (a `# comment`, usually).
      i = k + 1;
    } else {
      const nl = s.indexOf('\n', i);
      const end = nl < 0 ? n : nl;
      let text = s.slice(i, end);
      const comment = text.indexOf(' #');
      if (comment >= 0) text = text.slice(0, comment);
      const r = interpolate(trimEndUnicode(text), resolve);
      if (!r.ok) return fail(i, line, lineStart, r.message);
      value = r.value;
      i = end;
    }
    vars.set(key, value);
    entries.push({ key, value, line: keyLine });
  }
  return { ok: true, entries };
}

/**
 * docker's `--env-file` format (compose's env_file `format = "raw"`): one `KEY=value` a line, the value exactly as
 * written (no quotes, escapes, comments after it or interpolation); a bare `KEY` takes its value from `lookup`.
 */
export function parseRawEnv(source: string, lookup: Lookup = () => undefined): DotenvResult {
  const entries: DotenvEntry[] = [];
  const lines = (source.charCodeAt(0) === 0xfeff ? source.slice(1) : source).split('\n');
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n] as string;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    let start = 0;
    while (start < text.length && isUnicodeSpace(text.charCodeAt(start))) start++;
    if (start === text.length || text[start] === '#') continue;
    const eq = text.indexOf('=', start);
    const key = text.slice(start, eq < 0 ? text.length : eq);
    if (key === '') return { ok: false, line: n + 1, column: start + 1, message: 'no variable name before "="' };
    if (/[ \t]/.test(key)) return { ok: false, line: n + 1, column: start + 1, message: 'a variable name cannot contain white space' };
    if (eq >= 0) entries.push({ key, value: text.slice(eq + 1), line: n + 1 });
    else {
      const v = lookup(key);
      if (v !== undefined) entries.push({ key, value: v, line: n + 1 });
    }
  }
  return { ok: true, entries };
}
