// Positions of keys and values in TOML source. smol-toml returns plain values; every user error must still be
// printed as FILE:LINE:COL, so this single linear pass records where each key path and value starts. It does not
// validate (the parser has already done that) and never throws on malformed input.

export type PathSegment = string | number;

export interface Position {
  line: number;
  column: number;
  /** the file, when it is not the one the locations object belongs to (a value brought in by extends or include) */
  file?: string;
}

export interface TomlLocations {
  /** Position of the node at `path`, or of its longest known prefix (exact: false). */
  locate(path: readonly PathSegment[]): { position: Position; exact: boolean } | null;
  /** Position of the value assigned at `path`, or null if `path` is not a key = value. */
  locateValue(path: readonly PathSegment[]): Position | null;
  /**
   * The first construct TOML 1.0 forbids that newer parsers accept (a newline or trailing comma inside an inline
   * table). Boltfiles are TOML 1.0 — Bolt itself reads them so — so surge rejects these too.
   */
  notToml10: { position: Position; message: string } | null;
}

const keyOf = (path: readonly PathSegment[]): string => JSON.stringify(path);
const BARE = /[A-Za-z0-9_-]+/y;

class Scanner {
  i = 0;
  readonly keys = new Map<string, Position>();
  readonly values = new Map<string, Position>();
  notToml10: { position: Position; message: string } | null = null;
  private lineStarts: number[] | null = null;
  /** current index of each array of tables, by its resolved path */
  private readonly aot = new Map<string, number>();

  /** `record`: false checks TOML 1.0 only, without the cost of recording every key and value position */
  constructor(
    private readonly s: string,
    private readonly record: boolean,
  ) {}

  pos(index: number): Position {
    if (!this.lineStarts) {
      this.lineStarts = [0];
      for (let k = 0; k < this.s.length; k++) if (this.s[k] === '\n') this.lineStarts.push(k + 1);
    }
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= index) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: index - (starts[lo] as number) + 1 };
  }

  private violation(index: number, message: string): void {
    this.notToml10 ??= { position: this.pos(index), message };
  }

  private recordKey(path: PathSegment[], index: number): void {
    if (!this.record) return;
    const k = keyOf(path);
    if (!this.keys.has(k)) this.keys.set(k, this.pos(index));
  }

  private skipSpaces(): void {
    while (this.i < this.s.length && (this.s[this.i] === ' ' || this.s[this.i] === '\t')) this.i++;
  }

  /** whitespace, newlines and comments */
  private skipAll(): void {
    for (;;) {
      const c = this.s[this.i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.i++;
      else if (c === '#') this.skipComment();
      else return;
    }
  }

  private skipComment(): void {
    while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++;
  }

  private toLineEnd(): void {
    while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++;
  }

  /** One key part: bare, "basic" or 'literal'. Returns its text and start index. */
  private keyPart(): { text: string; at: number } | null {
    const at = this.i;
    const c = this.s[this.i];
    if (c === '"' || c === "'") {
      const text = this.quoted(c);
      return { text, at };
    }
    BARE.lastIndex = at;
    const m = BARE.exec(this.s);
    if (!m) return null;
    this.i = at + m[0].length;
    return { text: m[0], at };
  }

  private dottedKey(): { text: string; at: number }[] {
    const parts: { text: string; at: number }[] = [];
    for (;;) {
      this.skipSpaces();
      const p = this.keyPart();
      if (!p) return parts;
      parts.push(p);
      this.skipSpaces();
      if (this.s[this.i] !== '.') return parts;
      this.i++;
    }
  }

  /** Reads a single-line quoted string starting at a quote; returns its decoded text (escapes simplified). */
  private quoted(q: string): string {
    this.i++;
    let text = '';
    while (this.i < this.s.length) {
      const c = this.s[this.i] as string;
      if (c === '\n') break;
      if (q === '"' && c === '\\') {
        const n = this.s[this.i + 1] ?? '';
        const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', b: '\b', f: '\f' };
        if (n === 'u' || n === 'U') {
          const len = n === 'u' ? 4 : 8;
          text += String.fromCodePoint(Number.parseInt(this.s.slice(this.i + 2, this.i + 2 + len), 16) || 0xfffd);
          this.i += 2 + len;
        } else {
          text += map[n] ?? n;
          this.i += 2;
        }
        continue;
      }
      this.i++;
      if (c === q) return text;
      text += c;
    }
    return text;
  }

  private multiline(q: string): void {
    this.i += 3;
    while (this.i < this.s.length) {
      if (q === '"' && this.s[this.i] === '\\') {
        this.i += 2;
        continue;
      }
      if (this.s.startsWith(q.repeat(3), this.i)) {
        this.i += 3;
        // Up to two more quotes may belong to the content ("""a""""" is valid).
        while (this.s[this.i] === q) this.i++;
        return;
      }
      this.i++;
    }
  }

  private value(path: PathSegment[]): void {
    if (this.record) this.values.set(keyOf(path), this.pos(this.i));
    const c = this.s[this.i];
    if (c === '"' || c === "'") {
      if (this.s.startsWith(c.repeat(3), this.i)) this.multiline(c);
      else this.quoted(c);
      return;
    }
    if (c === '[') {
      this.i++;
      let idx = 0;
      for (;;) {
        this.skipAll();
        if (this.i >= this.s.length) return;
        if (this.s[this.i] === ']') {
          this.i++;
          return;
        }
        const elem = [...path, idx];
        this.recordKey(elem, this.i);
        const before = this.i;
        this.value(elem);
        this.skipAll();
        if (this.s[this.i] === ',') this.i++;
        else if (this.s[this.i] !== ']' && this.i === before) this.i++;
        idx++;
      }
    }
    if (c === '{') {
      this.i++;
      let afterComma = false;
      for (;;) {
        const start = this.i;
        this.skipAll();
        const newline = this.s.slice(start, this.i).search(/[\n#]/);
        // Point at the line break itself: that is what TOML 1.0 forbids here.
        if (newline >= 0) this.violation(start + newline, 'an inline table must stay on one line in TOML 1.0 (use a [table] instead)');
        if (this.i >= this.s.length) return;
        const ch = this.s[this.i];
        if (ch === '}') {
          if (afterComma) this.violation(this.i, 'a trailing comma in an inline table is not allowed in TOML 1.0');
          this.i++;
          return;
        }
        if (ch === ',') {
          afterComma = true;
          this.i++;
          continue;
        }
        afterComma = false;
        const before = this.i;
        this.pair(path);
        if (this.i === before) this.i++;
      }
    }
    // numbers, booleans, dates (a local date-time may contain one space)
    while (this.i < this.s.length) {
      const ch = this.s[this.i] as string;
      if (ch === ',' || ch === ']' || ch === '}' || ch === '\n' || ch === '\r' || ch === '#') return;
      if (ch === ' ' || ch === '\t') {
        if (/^[ \t]\d{2}:/.test(this.s.slice(this.i, this.i + 4))) {
          this.i++;
          continue;
        }
        return;
      }
      this.i++;
    }
  }

  /** key = value, relative to `base` */
  private pair(base: PathSegment[]): void {
    const parts = this.dottedKey();
    if (!parts.length) return;
    const path = [...base];
    for (const p of parts) {
      path.push(p.text);
      this.recordKey(path, p.at);
    }
    this.skipSpaces();
    if (this.s[this.i] !== '=') return;
    this.i++;
    this.skipSpaces();
    this.value(path);
  }

  /** Resolves header keys, stepping into the current element of any array of tables on the way. */
  private resolve(parts: { text: string; at: number }[], arrayHeader: boolean): PathSegment[] {
    const path: PathSegment[] = [];
    parts.forEach((p, n) => {
      path.push(p.text);
      const last = n === parts.length - 1;
      if (last && arrayHeader) {
        const k = keyOf(path);
        this.recordKey(path, p.at);
        const idx = (this.aot.get(k) ?? -1) + 1;
        this.aot.set(k, idx);
        path.push(idx);
        this.recordKey(path, p.at);
        return;
      }
      this.recordKey(path, p.at);
      const idx = this.aot.get(keyOf(path));
      if (idx !== undefined) path.push(idx);
    });
    return path;
  }

  scan(): void {
    let table: PathSegment[] = [];
    while (this.i < this.s.length) {
      this.skipAll();
      if (this.i >= this.s.length) return;
      const c = this.s[this.i];
      const before = this.i;
      if (c === '[') {
        const arrayHeader = this.s[this.i + 1] === '[';
        this.i += arrayHeader ? 2 : 1;
        const parts = this.dottedKey();
        table = this.resolve(parts, arrayHeader);
        this.toLineEnd();
      } else {
        this.pair(table);
        this.skipSpaces();
        if (this.s[this.i] === '#') this.skipComment();
        else if (this.s[this.i] !== '\n' && this.s[this.i] !== '\r') this.toLineEnd();
      }
      if (this.i === before) this.i++;
    }
  }
}

function run(scanner: Scanner): Scanner {
  try {
    scanner.scan();
  } catch {
    /* malformed input: keep what was collected */
  }
  return scanner;
}

/**
 * The TOML 1.0 check runs now; key and value positions are recorded on the first look-up, since only a file with
 * something to report needs them (a 5,000-service Boltfile loads without paying for them).
 */
export function scanTomlLocations(source: string): TomlLocations {
  let full: Scanner | null = null;
  const positions = (): Scanner => (full ??= run(new Scanner(source, true)));
  return {
    locate(path) {
      const s = positions();
      for (let n = path.length; n > 0; n--) {
        const p = s.keys.get(keyOf(path.slice(0, n)));
        if (p) return { position: p, exact: n === path.length };
      }
      return null;
    },
    locateValue(path) {
      return positions().values.get(keyOf(path)) ?? null;
    },
    notToml10: run(new Scanner(source, false)).notToml10,
  };
}
