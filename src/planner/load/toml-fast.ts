// A fast reader for the common shape of Boltfiles: one pass over the text that either returns the document or says
// "not sure" (null), in which case the loader runs its full path (the check scan of toml-locations.ts, then
// smol-toml) exactly as before, with its errors and messages. It exists for speed: on a 5,000-service Boltfile the
// full path costs ~90 ms (parse ~60 ms, check scan ~30 ms); the CLI runs it without TurboFan
// (src/cli/short-run-compiler.ts), so strings, names and comments are matched by sticky regular expressions (machine
// code) rather than loops over characters.
//
// Contract: when it returns a document, (1) smol-toml, called as read-source.ts calls it (maxDepth MAX_NESTING,
// unsafeKeyBehaviour 'throw'), accepts the text and returns a deep-equal value (same keys in the same order, same
// types); (2) the check scan reports neither notToml10 nor tooDeep; (3) no key is `__proto__` or `constructor`.
// Its tables are plain objects (smol-toml's have no prototype, which V8 keeps as slow dictionaries), each made here
// and in one place only, so the loader shares what interpolation leaves unchanged instead of copying it
// (Source.ownPlainTree); a key Object.prototype has (`toString`, …) reads as taken, so such a text goes the full way.
// Anything outside the subset below returns null; it never returns a document smol-toml would refuse.
// test/unit/planner/load/toml-fast*.test.ts prove this against smol-toml on the corpus, on seeded mutations of it,
// and on generated documents.
//
// The subset accepted:
// - LF and CRLF line ends, spaces and tabs, comments (no control characters in them, as TOML says); no BOM.
// - keys: bare, "basic" and 'literal', dotted, with spaces around the dots;
// - headers: [table] and [[array of tables]], with these definition rules (everything else returns null, valid or
//   not): a [table] header names a table that does not exist yet; its path may pass through tables made by earlier
//   headers (defined or implicit: [a.b] then [a.b.c]) and through arrays of tables (into their last element); a
//   [[header]] appends to an array made by [[header]] or makes a new one. No header enters a table made by dotted
//   keys or an inline table, or any array written as a value, and none names an existing table ([a.b] then [a]).
// - key = value: the key is new in its table; dotted keys may pass through tables made by dotted keys in the same
//   table (a.b = 1, a.c = 2), never through any other value;
// - values: single-line basic strings with TOML 1.0's escapes (\b \t \n \f \r \" \\ \uXXXX \UXXXXXXXX; \e, \x and
//   every other escape return null), single-line literal strings, decimal integers of at most 15 digits (exactly
//   representable; no leading zero, no `+`, no `_`, no `-0`), decimal floats of the same form with a fraction and/or
//   an exponent, true / false, arrays (across lines, with comments and a trailing comma, as TOML 1.0 allows), inline
//   tables all on one line without a trailing comma.
// - Not accepted: multi-line strings, dates and times, hex / octal / binary, inf / nan, anything nested deeper than
//   maxDepth (counted as toml-locations.ts counts: each key part, array-of-tables element and array element is one
//   level; the full path then reports it, located).

/** Thrown to give up: one instance, so giving up costs no stack trace. */
class Bail extends Error {}
const BAIL = new Bail('not in the fast subset');

const BARE = /[A-Za-z0-9_-]+/y;
/** A basic string's body without escapes, up to its closing quote; stops at a `\`, a control character or a line end. */
const BASIC_PLAIN = /[^"\\\x00-\x08\x0a-\x1f\x7f]*/y;
/** A basic string's body with TOML 1.0's escapes, and its closing quote (linear: each branch starts differently). */
const BASIC_ESCAPED = /(?:[^"\\\x00-\x08\x0a-\x1f\x7f]|\\(?:[btnfr"\\]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}))*"/y;
const ESCAPE = /\\(?:([btnfr"\\])|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))/g;
const LITERAL = /[^'\x00-\x08\x0a-\x1f\x7f]*'/y;
/** A comment up to its line end; a control character (a lone CR too) stops it, and the caller then gives up. */
const COMMENT = /#[^\x00-\x08\x0a-\x1f\x7f]*/y;
/** At most 15 digits: every such integer is exactly a JavaScript number. Group 1: a fraction or an exponent. */
const NUMBER = /-?(?:0|[1-9][0-9]{0,14})((?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)/y;

const SIMPLE_ESCAPES: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\' };

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const HASH = 0x23;
const APOSTROPHE = 0x27;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const EQUALS = 0x3d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

type Table = Record<string, unknown>;

function newTable(): Table {
  return {};
}

function decodeEscape(_match: string, simple: string | undefined, u4: string | undefined, u8: string | undefined): string {
  if (simple !== undefined) return SIMPLE_ESCAPES[simple] as string;
  const code = Number.parseInt((u4 ?? u8) as string, 16);
  // What smol-toml refuses (a surrogate, past Unicode) is not guessed at.
  if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw BAIL;
  return String.fromCodePoint(code);
}

class FastParser {
  private i = 0;
  private readonly root = newTable();
  /** Tables made by headers: explicit, implicit (a header's intermediate keys) and array-of-tables elements. */
  private readonly headerTables = new Set<Table>();
  /** Arrays made by [[headers]] (every other array is a closed value). */
  private readonly tableArrays = new Set<Table[]>();
  /** Tables made by dotted keys (in a table's key/values or an inline table). */
  private readonly dottedTables = new Set<Table>();
  /** Inside an inline table: everything in it stays on one line, arrays too (TOML 1.0 would allow line breaks in
   * an array there; the fast path does not look into that). */
  private inlineTables = 0;
  /** The table key/values go to (the last header's), and its depth. */
  private table = this.root;
  private depth = 0;

  constructor(
    private readonly s: string,
    private readonly maxDepth: number,
  ) {}

  document(): Table {
    const s = this.s;
    for (;;) {
      this.skipBlank();
      if (this.i >= s.length) return this.root;
      if (s.charCodeAt(this.i) === OPEN_BRACKET) this.header();
      else this.keyValue(this.table, this.depth);
      this.lineEnd();
    }
  }

  /** Spaces and tabs. */
  private skipSpaces(): void {
    const s = this.s;
    let c = s.charCodeAt(this.i);
    while (c === SPACE || c === TAB) c = s.charCodeAt(++this.i);
  }

  /** Spaces, tabs, line ends and comments, as between statements and array elements. */
  private skipBlank(): void {
    const s = this.s;
    for (;;) {
      const c = s.charCodeAt(this.i);
      if (c === SPACE || c === TAB || c === LF) this.i++;
      else if (c === CR && s.charCodeAt(this.i + 1) === LF) this.i += 2;
      else if (c === HASH) this.comment();
      else return;
    }
  }

  private comment(): void {
    COMMENT.lastIndex = this.i;
    COMMENT.exec(this.s);
    this.i = COMMENT.lastIndex;
  }

  /** After a statement: spaces, maybe a comment, then a line end or the end of the text. */
  private lineEnd(): void {
    this.skipSpaces();
    const s = this.s;
    if (s.charCodeAt(this.i) === HASH) this.comment();
    if (this.i >= s.length) return;
    const c = s.charCodeAt(this.i);
    if (c === LF) this.i++;
    else if (c === CR && s.charCodeAt(this.i + 1) === LF) this.i += 2;
    else throw BAIL;
  }

  /** One key part, bare or quoted; never `__proto__` or `constructor`. */
  private keyPart(): string {
    const s = this.s;
    const c = s.charCodeAt(this.i);
    let key: string;
    if (c === QUOTE || c === APOSTROPHE) {
      key = this.string(c);
    } else {
      BARE.lastIndex = this.i;
      if (!BARE.test(s)) throw BAIL;
      key = s.slice(this.i, BARE.lastIndex);
      this.i = BARE.lastIndex;
    }
    if (key === '__proto__' || key === 'constructor') throw BAIL;
    return key;
  }

  /** A single-line string at its opening quote; multi-line strings give up. */
  private string(quote: number): string {
    const s = this.s;
    const start = this.i + 1;
    if (s.charCodeAt(start) === quote && s.charCodeAt(start + 1) === quote) throw BAIL;
    if (quote === APOSTROPHE) {
      LITERAL.lastIndex = start;
      if (!LITERAL.test(s)) throw BAIL;
      this.i = LITERAL.lastIndex;
      return s.slice(start, this.i - 1);
    }
    BASIC_PLAIN.lastIndex = start;
    BASIC_PLAIN.test(s);
    const end = BASIC_PLAIN.lastIndex;
    if (s.charCodeAt(end) === QUOTE) {
      this.i = end + 1;
      return s.slice(start, end);
    }
    BASIC_ESCAPED.lastIndex = start;
    if (!BASIC_ESCAPED.test(s)) throw BAIL;
    this.i = BASIC_ESCAPED.lastIndex;
    return s.slice(start, this.i - 1).replace(ESCAPE, decodeEscape);
  }

  /**
   * `table[key]` as a table on a dotted path: made when absent (and counted as `kind`, headers' or dotted keys'),
   * entered when `kind` made it; anything else gives up.
   */
  private passThrough(table: Table, key: string, kind: Set<Table>): Table {
    const existing = table[key];
    if (existing === undefined) {
      const made = newTable();
      kind.add(made);
      table[key] = made;
      return made;
    }
    if (!kind.has(existing as Table)) throw BAIL;
    return existing as Table;
  }

  /** The key part after a dot (the cursor at the dot), and the spaces after it. */
  private afterDot(): string {
    this.i++;
    this.skipSpaces();
    const key = this.keyPart();
    this.skipSpaces();
    return key;
  }

  private deeper(depth: number): number {
    if (depth >= this.maxDepth) throw BAIL;
    return depth + 1;
  }

  /** [a.b] or [[a.b]]: sets the table key/values now go to, and its depth. */
  private header(): void {
    const s = this.s;
    const isArray = s.charCodeAt(this.i + 1) === OPEN_BRACKET;
    this.i += isArray ? 2 : 1;
    let table = this.root;
    let depth = 0;
    this.skipSpaces();
    let key = this.keyPart();
    this.skipSpaces();
    // Each key part followed by a dot is a table on the way, entered as it is read.
    while (s.charCodeAt(this.i) === DOT) {
      depth = this.deeper(depth);
      const existing = table[key];
      if (this.tableArrays.has(existing as Table[])) {
        // Into the array's last element, a level of its own.
        depth = this.deeper(depth);
        const elements = existing as Table[];
        table = elements[elements.length - 1] as Table;
      } else {
        table = this.passThrough(table, key, this.headerTables);
      }
      key = this.afterDot();
    }
    if (s.charCodeAt(this.i) !== CLOSE_BRACKET) throw BAIL;
    this.i++;
    if (isArray) {
      if (s.charCodeAt(this.i) !== CLOSE_BRACKET) throw BAIL;
      this.i++;
    }
    depth = this.deeper(depth);
    const existing = table[key];
    if (!isArray && existing !== undefined) throw BAIL;
    const made = newTable();
    this.headerTables.add(made);
    this.table = made;
    if (!isArray) {
      table[key] = made;
      this.depth = depth;
      return;
    }
    let elements: Table[];
    if (existing === undefined) {
      elements = [];
      this.tableArrays.add(elements);
      table[key] = elements;
    } else if (this.tableArrays.has(existing as Table[])) {
      elements = existing as Table[];
    } else {
      throw BAIL;
    }
    elements.push(made);
    this.depth = this.deeper(depth);
  }

  /** key = value into `table` (at `depth`), the cursor at the key. Also an inline table's entries. */
  private keyValue(table: Table, depth: number): void {
    const s = this.s;
    let key = this.keyPart();
    this.skipSpaces();
    // Each key part followed by a dot is a table on the way (made by dotted keys, here), entered as it is read.
    while (s.charCodeAt(this.i) === DOT) {
      depth = this.deeper(depth);
      table = this.passThrough(table, key, this.dottedTables);
      key = this.afterDot();
    }
    if (s.charCodeAt(this.i) !== EQUALS) throw BAIL;
    this.i++;
    this.skipSpaces();
    depth = this.deeper(depth);
    if (table[key] !== undefined) throw BAIL;
    table[key] = this.value(depth);
  }

  /** The value at the cursor, its key (or array element) at `depth`. */
  private value(depth: number): unknown {
    const s = this.s;
    const c = s.charCodeAt(this.i);
    if (c === QUOTE || c === APOSTROPHE) return this.string(c);
    if (c === OPEN_BRACKET) return this.array(depth);
    if (c === OPEN_BRACE) return this.inlineTable(depth);
    if (c === 0x74 /* t */ && s.startsWith('true', this.i)) {
      this.i += 4;
      return true;
    }
    if (c === 0x66 /* f */ && s.startsWith('false', this.i)) {
      this.i += 5;
      return false;
    }
    if (c === MINUS || (c >= 0x30 && c <= 0x39)) {
      NUMBER.lastIndex = this.i;
      const m = NUMBER.exec(s);
      if (!m) throw BAIL;
      const text = m[0];
      this.i = NUMBER.lastIndex;
      // Whatever follows must end the value (a `_`, a `:` or a second `.` is TOML this reader does not take).
      const next = s.charCodeAt(this.i);
      if (!(next === SPACE || next === TAB || next === LF || next === CR || next === COMMA || next === CLOSE_BRACKET || next === CLOSE_BRACE || next === HASH || this.i >= s.length)) throw BAIL;
      if (m[1]) return Number.parseFloat(text);
      if (text === '-0') throw BAIL;
      return Number.parseInt(text, 10);
    }
    throw BAIL;
  }

  private array(depth: number): unknown[] {
    const s = this.s;
    const elements: unknown[] = [];
    const multiline = this.inlineTables === 0;
    this.i++;
    for (;;) {
      if (multiline) this.skipBlank();
      else this.skipSpaces();
      if (s.charCodeAt(this.i) === CLOSE_BRACKET) break;
      elements.push(this.value(this.deeper(depth)));
      if (multiline) this.skipBlank();
      else this.skipSpaces();
      const c = s.charCodeAt(this.i);
      if (c === CLOSE_BRACKET) break;
      if (c !== COMMA) throw BAIL;
      this.i++;
    }
    this.i++;
    return elements;
  }

  /** On one line, no trailing comma: TOML 1.0's form (the check scan would report anything else). */
  private inlineTable(depth: number): Table {
    const s = this.s;
    const table = newTable();
    this.i++;
    this.skipSpaces();
    if (s.charCodeAt(this.i) === CLOSE_BRACE) {
      this.i++;
      return table;
    }
    this.inlineTables++;
    for (;;) {
      this.keyValue(table, depth);
      this.skipSpaces();
      const c = s.charCodeAt(this.i++);
      if (c === CLOSE_BRACE) break;
      if (c !== COMMA) throw BAIL;
      this.skipSpaces();
    }
    this.inlineTables--;
    return table;
  }
}

/**
 * The document `text` holds, when it is in the subset above (and so smol-toml reads it the same and the check scan
 * finds nothing), else null: the caller then runs the full path, which reports whatever is wrong.
 */
export function parseTomlFast(text: string, maxDepth: number): Record<string, unknown> | null {
  // A BOM: smol-toml skips it, the position scan does not; left to the full path.
  if (text.charCodeAt(0) === 0xfeff) return null;
  try {
    return new FastParser(text, maxDepth).document();
  } catch (err) {
    if (err === BAIL) return null;
    throw err;
  }
}
