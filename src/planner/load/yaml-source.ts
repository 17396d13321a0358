// Compose files (YAML) → plain data, with the position of every key and value so errors print as FILE:LINE:COL like
// TOML ones. Read as compose-go reads them: YAML 1.2 scalars as go-yaml resolves them (yaml-scalars.ts), anchors,
// aliases and `<<` merge keys, duplicate keys refused, every document of a stream (`---`) kept, and compose's
// `!reset` / `!override` tags recorded by path for the merge (merge-files.ts).
//
// Positions: a key is where it is written; so is a value, except that everything inside an aliased collection is
// located in the anchor (where the text is). A value that is an alias (`image: *img`) is located at the alias.
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import { ConfigError } from '../../model/errors.js';
import { MAX_NESTING, nestingMessage } from './limits.js';
import type { Path } from './schema-walk.js';
import type { PathSegment, Position, TomlLocations } from './toml-locations.js';
import { formatPath } from './tree.js';
import { resolvePlainScalar, resolveTaggedScalar } from './yaml-scalars.js';

export interface YamlDocument {
  data: Record<string, unknown>;
  locations: TomlLocations;
  /** paths tagged `!reset`: the value is dropped here and removed from what earlier files set */
  resets: Path[];
  /** paths tagged `!override`: the value replaces what earlier files set instead of merging with it */
  overrides: Path[];
}

/** compose-go's cap on node visits: a few aliases must not expand into millions of nodes ("billion laughs"). */
export const MAX_NODE_VISITS = 100_000;

const keyOf = (path: readonly PathSegment[]): string => JSON.stringify(path);

/** Sets a key on a plain object, `__proto__` included, without touching the prototype. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

class YamlLocations implements TomlLocations {
  readonly notToml10 = null;
  readonly tooDeep = null;
  constructor(private readonly entries: Map<string, { key: Position | null; value: Position }>) {}

  locate(path: readonly PathSegment[]): { position: Position; exact: boolean } | null {
    for (let n = path.length; n >= 0; n--) {
      const e = this.entries.get(keyOf(path.slice(0, n)));
      if (e) return { position: e.key ?? e.value, exact: n === path.length };
    }
    return null;
  }

  locateValue(path: readonly PathSegment[]): Position | null {
    return this.entries.get(keyOf(path))?.value ?? null;
  }
}

const DROPPED = Symbol('dropped by !reset');

class Builder {
  readonly entries = new Map<string, { key: Position | null; value: Position }>();
  readonly resets: Path[] = [];
  readonly overrides: Path[] = [];
  private visits = 0;
  private readonly expanding = new Set<Node>();

  constructor(
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
    private readonly fail: (at: number, path: Path, message: string) => never,
  ) {}

  pos(offset: number): Position {
    const p = this.lines.linePos(offset);
    return { line: p.line, column: p.col };
  }

  record(path: Path, key: Position | null, value: Position): void {
    this.entries.set(keyOf(path), { key, value });
  }

  value(node: Node | null, path: Path): unknown {
    // The loader's nesting cap (limits.ts), before this recursion or any walker after it goes deeper.
    if (path.length > MAX_NESTING) this.fail(node?.range?.[0] ?? 0, path.slice(0, MAX_NESTING + 1), nestingMessage());
    if (++this.visits > MAX_NODE_VISITS) this.fail(node?.range?.[0] ?? 0, path, `too many nodes (over ${MAX_NODE_VISITS}): are aliases expanding into each other?`);
    if (node === null) return null;
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      if (!target) this.fail(node.range?.[0] ?? 0, path, `unknown alias *${node.source}`);
      if (this.expanding.has(target)) this.fail(node.range?.[0] ?? 0, path, `alias *${node.source} refers to itself`);
      this.expanding.add(target);
      try {
        return this.value(target, path);
      } finally {
        this.expanding.delete(target);
      }
    }
    if (node.tag === '!reset') {
      this.resets.push(path);
      return DROPPED;
    }
    if (node.tag === '!override') this.overrides.push(path);
    if (isScalar(node)) return this.scalar(node, path);
    if (isSeq(node)) {
      const out: unknown[] = [];
      for (const item of node.items) {
        const at = [...path, out.length];
        const v = this.value(item as Node | null, at);
        if (v === DROPPED) continue;
        this.record(at, null, this.pos((item as Node | null)?.range?.[0] ?? node.range?.[0] ?? 0));
        out.push(v);
      }
      return out;
    }
    if (isMap(node)) return this.mapping(node.items, node, path);
    return null;
  }

  private scalar(node: Extract<Node, { type?: unknown; value: unknown }>, path: Path): unknown {
    const text = String(node.value ?? '');
    const tag = node.tag;
    if (tag && tag !== '!override') {
      const r = resolveTaggedScalar(tag, text);
      if (!r) this.fail(node.range?.[0] ?? 0, path, `cannot read "${text}" as ${tag}`);
      return r.value;
    }
    return node.type === 'PLAIN' ? resolvePlainScalar(text) : text;
  }

  private keyText(key: unknown, path: Path): string | null {
    if (!isScalar(key)) {
      const at = (key as Node | null)?.range?.[0] ?? 0;
      this.fail(at, path, 'a mapping key must be a string');
    }
    const text = String(key.value ?? '');
    if (key.type === 'PLAIN' && !key.tag && text === '<<') return null;
    const v = key.tag ? resolveTaggedScalar(key.tag, text)?.value : key.type === 'PLAIN' ? resolvePlainScalar(text) : text;
    if (typeof v !== 'string') this.fail(key.range?.[0] ?? 0, path, `non-string key ${JSON.stringify(text)}: quote it ("${text}")`);
    return v;
  }

  /** A mapping, `<<` merge keys included: its own keys win, then the first merged mapping, then the next. */
  private mapping(items: readonly unknown[], node: Node, path: Path): Record<string, unknown> {
    const own: { key: string; pair: { key: unknown; value: unknown } }[] = [];
    const merges: Node[] = [];
    for (const pair of items) {
      if (!isPair(pair)) continue;
      const key = this.keyText(pair.key, path);
      if (key === null) merges.push(...this.mergeSources(pair.value as Node | null, path));
      else own.push({ key, pair });
    }
    const merged = new Map<string, unknown>();
    // The last merged mapping first, so the first one's positions are the ones kept.
    for (const source of [...merges].reverse()) {
      const data = this.value(source, path);
      if (typeof data !== 'object' || data === null || Array.isArray(data)) {
        this.fail(source.range?.[0] ?? node.range?.[0] ?? 0, path, 'a `<<` merge key takes a mapping or a list of mappings');
      }
      for (const [k, v] of Object.entries(data)) merged.set(k, v);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of merged) setOwn(out, k, v);
    for (const { key, pair } of own) {
      const at = [...path, key];
      const valueNode = pair.value as Node | null;
      const keyNode = pair.key as Node;
      const v = this.value(valueNode, at);
      if (v === DROPPED) {
        delete out[key];
        continue;
      }
      const keyPos = this.pos(keyNode.range?.[0] ?? 0);
      this.record(at, keyPos, valueNode?.range ? this.pos(valueNode.range[0]) : keyPos);
      setOwn(out, key, v);
    }
    return out;
  }

  /** The mappings a `<<` key merges, as written (aliases stay aliases, so a mapping merging itself is caught). */
  private mergeSources(value: Node | null, path: Path): Node[] {
    const resolve = (n: Node | null): Node | null => (n && isAlias(n) ? ((n.resolve(this.doc) as Node | undefined) ?? null) : n);
    const target = resolve(value);
    if (value && target && isMap(target)) return [value];
    if (target && isSeq(target)) {
      const items = target.items as (Node | null)[];
      if (items.every((i) => isMap(resolve(i)))) return items as Node[];
    }
    return this.fail(value?.range?.[0] ?? 0, path, 'a `<<` merge key takes a mapping or a list of mappings');
  }
}

function positionIn(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** "Map keys must be unique at line 2, column 1:\n\n…" → "Map keys must be unique" */
function yamlMessage(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

/** Flow collections nested deeper than this are refused before parsing: the parser's own limit comes too late. */
const MAX_FLOW_DEPTH = 500;

/** Where `[`/`{` nesting first goes past MAX_FLOW_DEPTH (quotes and comments skipped), or -1. */
function tooDeep(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const prev = i === 0 ? ' ' : (text[i - 1] as string);
    const boundary = /[\s[{,:]/.test(prev);
    if (c === '#' && /\s/.test(prev)) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if ((c === '"' || c === "'") && boundary) {
      for (i++; i < text.length && text[i] !== c; i++) if (c === '"' && text[i] === '\\') i++;
    } else if (c === '[' || c === '{') {
      if (++depth > MAX_FLOW_DEPTH) return i;
    } else if (c === ']' || c === '}') {
      depth = Math.max(0, depth - 1);
    }
  }
  return -1;
}

/** Every document of a YAML stream, as plain data with positions; the first problem found is a located ConfigError. */
export function parseYaml(text: string, display: string): YamlDocument[] {
  const lines = new LineCounter();
  const deep = tooDeep(text);
  if (deep >= 0) {
    const at = positionIn(text, deep);
    throw new ConfigError([{ message: `invalid YAML: collections nested more than ${MAX_FLOW_DEPTH} deep`, path: null, location: { file: display, ...at } }]);
  }
  const parsed = parseAllDocuments(text, { lineCounter: lines, schema: 'failsafe', merge: false, uniqueKeys: true, prettyErrors: false });
  const docs = Array.isArray(parsed) ? parsed : [];
  const out: YamlDocument[] = [];
  for (const doc of docs) {
    const first = doc.errors[0];
    if (first) {
      const at = lines.linePos(first.pos[0]);
      // The parser recurses on block nesting and reports its own stack overflow as a document error: say what it is.
      const message = /Maximum call stack size exceeded/.test(first.message) ? nestingMessage() : yamlMessage(first.message);
      throw new ConfigError([{ message: `invalid YAML: ${message}`, path: null, location: { file: display, line: at.line, column: at.col } }]);
    }
    const fail = (offset: number, path: Path, message: string): never => {
      const at = lines.linePos(offset);
      const p = formatPath(path);
      throw new ConfigError([{ message: p ? `${p}: ${message}` : message, path: p || null, location: { file: display, line: at.line, column: at.col } }]);
    };
    const builder = new Builder(doc, lines, fail);
    const contents = doc.contents as Node | null;
    const data = builder.value(contents, []);
    if (data !== null && (typeof data !== 'object' || Array.isArray(data))) {
      fail(contents?.range?.[0] ?? 0, [], 'the top level of a compose file must be a mapping');
    }
    builder.record([], null, builder.pos(contents?.range?.[0] ?? 0));
    out.push({
      data: (data ?? {}) as Record<string, unknown>,
      locations: new YamlLocations(builder.entries),
      resets: builder.resets,
      overrides: builder.overrides,
    });
  }
  return out;
}
