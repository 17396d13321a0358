// Positions of keys and values in TOML source. smol-toml returns plain values; every user error must still be
// printed as FILE:LINE:COL, so a single linear pass (toml-scanner.ts) records where each key path and value starts,
// on the first look-up only.
//
// It also runs before the parser, as the loader's nesting guard: the first key or value nested deeper than the cap
// (tables, arrays of tables, dotted keys, arrays and inline tables together) stops the scan and is reported, so no
// recursive walker ever sees a deep document (unless toml-fast.ts read the file: it proves the same).
import { MAX_NESTING } from './limits.js';
import { Node, run, Scanner, type PathSegment, type Position } from './toml-scanner.js';

export type { PathSegment, Position } from './toml-scanner.js';

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
  /** Where the first key or value nested deeper than the cap starts (checked before parsing), or null. */
  tooDeep: Position | null;
}
/** The deepest recorded node along `path`, and how deep it is. */
function find(root: Node, path: readonly PathSegment[]): { node: Node; depth: number } | null {
  let node = root;
  let found: { node: Node; depth: number } | null = null;
  for (let n = 0; n < path.length; n++) {
    const next = node.children?.get(path[n] as PathSegment);
    if (!next) break;
    node = next;
    if (next.key >= 0) found = { node: next, depth: n + 1 };
  }
  return found;
}

/** Key and value look-ups, from a scan that records positions run on the first look-up only. */
function lazyPositions(source: string, maxDepth: number): Pick<TomlLocations, 'locate' | 'locateValue'> {
  let full: Scanner | null = null;
  const positions = (): Scanner => (full ??= run(new Scanner(source, true, maxDepth)));
  return {
    locate(path) {
      const s = positions();
      const f = find(s.root, path);
      return f ? { position: s.pos(f.node.key), exact: f.depth === path.length } : null;
    },
    locateValue(path) {
      const s = positions();
      const f = find(s.root, path);
      return f && f.depth === path.length && f.node.value >= 0 ? s.pos(f.node.value) : null;
    },
  };
}

/**
 * The TOML 1.0 and nesting checks run now; key and value positions are recorded on the first look-up, since only a
 * file with something to report needs them (a 5,000-service Boltfile loads without paying for them).
 */
export function scanTomlLocations(source: string, maxDepth = MAX_NESTING): TomlLocations {
  const check = run(new Scanner(source, false, maxDepth));
  return { ...lazyPositions(source, maxDepth), notToml10: check.notToml10, tooDeep: check.tooDeep };
}

/**
 * Positions only, for a text already known to be TOML 1.0 within the nesting cap (toml-fast.ts read it): no check
 * scan; positions are recorded on the first look-up, as scanTomlLocations does.
 */
export function checkedTomlLocations(source: string, maxDepth = MAX_NESTING): TomlLocations {
  return { ...lazyPositions(source, maxDepth), notToml10: null, tooDeep: null };
}
