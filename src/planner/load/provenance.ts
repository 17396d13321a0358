// Where each value of a loaded document was written. Files are merged (-f), services extend others (possibly in
// other files), included files bring resources, and compose forms are rewritten into Boltfile forms: through all
// of that an error must still point at the file, line and column the user wrote. Containers (objects and arrays)
// carry their origin in a WeakMap, and a container built by a merge or a rewrite records where each of its entries
// came from; everything else is found by walking down from the nearest known origin. Nothing is computed until an
// error is located, so a valid project pays only for the bookkeeping of what was merged or rewritten.
import type { Path } from './schema-walk.js';
import type { PathSegment, Position, TomlLocations } from './toml-locations.js';

/** A parsed source: how it is named in messages, and its own positions by path. */
export interface SourceRef {
  display: string;
  locations: TomlLocations;
}

export interface Origin {
  source: SourceRef;
  /** where the value is in `source` */
  path: Path;
}

type Container = Record<string, unknown> | unknown[];

const containerOrigins = new WeakMap<object, Origin>();
const entryOrigins = new WeakMap<object, Map<PathSegment, Origin>>();

function isContainer(v: unknown): v is Container {
  return typeof v === 'object' && v !== null && !(v instanceof Date);
}

/** `data` is written at `path` of `source` (a source's root: path []). */
export function markOrigin(data: unknown, origin: Origin | null): void {
  if (isContainer(data) && origin) containerOrigins.set(data, origin);
}

/** Marks every container under `data` (for documents whose shape is about to be rewritten). */
export function markTree(data: unknown, source: SourceRef, path: Path = []): void {
  if (!isContainer(data)) return;
  containerOrigins.set(data, { source, path });
  if (Array.isArray(data)) data.forEach((v, i) => markTree(v, source, [...path, i]));
  else for (const [k, v] of Object.entries(data)) markTree(v, source, [...path, k]);
}

export function originOf(data: unknown): Origin | null {
  return isContainer(data) ? (containerOrigins.get(data) ?? null) : null;
}

/** Where `container[key]` was written, given where the container itself was (when it is not marked). */
export function entryOrigin(container: object, key: PathSegment, containerOrigin: Origin | null = originOf(container)): Origin | null {
  const recorded = entryOrigins.get(container)?.get(key);
  if (recorded) return recorded;
  const child = (container as Record<PathSegment, unknown>)[key];
  const own = originOf(child);
  if (own) return own;
  return containerOrigin ? { source: containerOrigin.source, path: [...containerOrigin.path, key] } : null;
}

/** `container[key]` came from `origin` (null: leave it to be derived). */
export function setEntryOrigin(container: object, key: PathSegment, origin: Origin | null): void {
  if (!origin) return;
  let table = entryOrigins.get(container);
  if (!table) entryOrigins.set(container, (table = new Map()));
  table.set(key, origin);
}

/** A deep copy whose containers and entries keep the origins of the original. */
export function cloneWithOrigins<T>(value: T, origin: Origin | null = originOf(value)): T {
  if (!isContainer(value)) return value;
  const copy: Container = Array.isArray(value) ? [] : {};
  markOrigin(copy, origin);
  const entries: [PathSegment, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  for (const [k, v] of entries) {
    const o = entryOrigin(value, k, origin);
    const c = cloneWithOrigins(v, originOf(v) ?? o);
    if (Array.isArray(copy)) copy.push(c);
    else Object.defineProperty(copy, k, { value: c, enumerable: true, writable: true, configurable: true });
    setEntryOrigin(copy, k, o);
  }
  return copy as T;
}

/** Walks down `root` along `path`: the origin of the deepest value reached and how deep that is. */
function descend(root: object, path: readonly PathSegment[]): { origin: Origin | null; depth: number } {
  let current: unknown = root;
  let origin = originOf(root);
  let depth = 0;
  for (const seg of path) {
    if (!isContainer(current) || !Object.hasOwn(current, seg)) break;
    origin = entryOrigin(current, seg, origin);
    current = (current as Record<PathSegment, unknown>)[seg];
    depth++;
  }
  return { origin, depth };
}

function withFile(p: Position, source: SourceRef): Position {
  return { line: p.line, column: p.column, file: p.file ?? source.display };
}

/** Positions in a loaded (merged, extended, rewritten) document, each naming the file it is in. */
export function provenanceLocations(root: object): TomlLocations {
  return {
    locate(path) {
      const { origin, depth } = descend(root, path);
      if (!origin) return null;
      const found = origin.source.locations.locate(origin.path);
      return found ? { position: withFile(found.position, origin.source), exact: found.exact && depth === path.length } : null;
    },
    locateValue(path) {
      const { origin, depth } = descend(root, path);
      if (!origin || depth !== path.length) return null;
      const p = origin.source.locations.locateValue(origin.path);
      return p ? withFile(p, origin.source) : null;
    },
    notToml10: null,
    tooDeep: null,
  };
}

/** Marks every container under `root` that has no origin yet with the one its place implies (before copying parts of it). */
export function pinOrigins(root: unknown, origin: Origin | null = originOf(root)): void {
  if (!isContainer(root)) return;
  if (origin && !containerOrigins.has(root)) containerOrigins.set(root, origin);
  const entries: [PathSegment, unknown][] = Array.isArray(root) ? root.map((v, i) => [i, v]) : Object.entries(root);
  for (const [k, v] of entries) if (isContainer(v)) pinOrigins(v, entryOrigin(root, k, origin));
}

/** Where an origin is, as a file position (the value if it is a key = value, else the key). */
export function locateOrigin(origin: Origin | null): { file: string; line: number; column: number } | null {
  if (!origin) return null;
  const p = origin.source.locations.locateValue(origin.path) ?? origin.source.locations.locate(origin.path)?.position;
  return p ? { file: p.file ?? origin.source.display, line: p.line, column: p.column } : null;
}
