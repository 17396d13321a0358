// The one linear pass over TOML source behind toml-locations.ts: it records where each key path and value starts (in
// a trie keyed by path segment: recording a key of depth d costs O(d) however long its segments are), or, not
// recording, only checks what TOML 1.0 forbids and nesting. It does not validate (the parser does that) and never
// throws on malformed input; the first key or value nested deeper than the cap stops it, and its own recursion is
// bounded by that cap.

export type PathSegment = string | number;

export interface Position {
  line: number;
  column: number;
  /** the file, when it is not the one the locations object belongs to (a value brought in by extends or include) */
  file?: string;
}

const BARE = /[A-Za-z0-9_-]+/y;
/** What ends the plain part of a "basic" or 'literal' string on its line: its quote, the line's end, an escape. */
const BASIC_STOP = /["\n\\]/g;
const LITERAL_STOP = /['\n]/g;

/**
 * One key path: where its key and its value start (as offsets, turned into line and column only when asked), its
 * children, and (an array of tables) its current index. A class, so every node has one shape.
 */
export class Node {
  key = -1;
  value = -1;
  aot = -1;
  children: Map<PathSegment, Node> | null = null;
}

function child(node: Node, seg: PathSegment): Node {
  node.children ??= new Map();
  let c = node.children.get(seg);
  if (!c) {
    c = new Node();
    node.children.set(seg, c);
  }
  return c;
}

/** Thrown to stop scanning at the first value nested too deep. */
class TooDeep extends Error {}

/** Where the scan is: the path's depth and, when recording or in a table header, its trie node. */
interface At {
  depth: number;
  node: Node | null;
}

export class Scanner {
  i = 0;
  readonly root = new Node();
  notToml10: { position: Position; message: string } | null = null;
  tooDeep: Position | null = null;
  private lineStarts: number[] | null = null;

  /** `record`: false checks TOML 1.0 and nesting only, without the cost of recording every key and value position */
  constructor(
    private readonly s: string,
    private readonly record: boolean,
    private readonly maxDepth: number,
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

  /** One level down from `at`: checks the depth, and records the key's position when recording. */
  private step(at: At, seg: PathSegment, index: number): At {
    const depth = at.depth + 1;
    if (depth > this.maxDepth) {
      this.tooDeep = this.pos(index);
      throw new TooDeep();
    }
    if (!this.record || !at.node) return { depth, node: null };
    const node = child(at.node, seg);
    if (node.key < 0) node.key = index;
    return { depth, node };
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
    this.toLineEnd();
  }

  private toLineEnd(): void {
    const nl = this.s.indexOf('\n', this.i);
    this.i = nl < 0 ? Math.max(this.i, this.s.length) : nl;
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
    // Most strings hold no escape: found by a scan and sliced once, not built a character at a time (the 5,000-service
    // Boltfile's check scan spent half its time here). A string with a `\` is read by the general loop below.
    // The stop is found by a regular expression, which runs as machine code: the CLI runs this scan with V8's
    // baseline compilers only (src/cli/short-run-compiler.ts), where a loop over characters costs tens of ns each.
    const s = this.s;
    const stop = q === '"' ? BASIC_STOP : LITERAL_STOP;
    stop.lastIndex = this.i + 1;
    const found = stop.exec(s);
    if (found && found[0] === q) {
      const text = s.slice(this.i + 1, found.index);
      this.i = found.index + 1;
      return text;
    }
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

  private value(at: At): void {
    if (at.node) at.node.value = this.i;
    const c = this.s[this.i];
    if (c === '"' || c === "'") {
      if (this.s[this.i + 1] === c && this.s[this.i + 2] === c) this.multiline(c);
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
        const elem = this.step(at, idx, this.i);
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
        this.pair(at);
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
  private pair(base: At): void {
    const parts = this.dottedKey();
    if (!parts.length) return;
    let at = base;
    for (const p of parts) at = this.step(at, p.text, p.at);
    this.skipSpaces();
    if (this.s[this.i] !== '=') return;
    this.i++;
    this.skipSpaces();
    this.value(at);
  }

  /**
   * Resolves header keys, stepping into the current element of any array of tables on the way. Headers always
   * walk the trie (it holds the arrays' current indexes, which decide depths and paths), recording or not.
   */
  private resolve(parts: { text: string; at: number }[], arrayHeader: boolean): At {
    let at: At = { depth: 0, node: this.root };
    const down = (seg: PathSegment, index: number): void => {
      const next = this.step(at, seg, index);
      at = { depth: next.depth, node: child(at.node as Node, seg) };
    };
    parts.forEach((p, n) => {
      down(p.text, p.at);
      const node = at.node as Node;
      if (n === parts.length - 1 && arrayHeader) {
        node.aot += 1;
        down(node.aot, p.at);
      } else if (node.aot >= 0) {
        down(node.aot, p.at);
      }
    });
    return this.record ? at : { depth: at.depth, node: null };
  }

  scan(): void {
    let table: At = { depth: 0, node: this.record ? this.root : null };
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

export function run(scanner: Scanner): Scanner {
  try {
    scanner.scan();
  } catch {
    /* malformed input, or nested too deep: keep what was collected */
  }
  return scanner;
}
