// The one directed-graph implementation: the planner orders services and finds cycles with it, selects a service
// with what it depends on, and the executor skips the dependents of a failed action with it. Every order is
// deterministic (ties broken by id) so plans and golden texts are stable.

export interface Edge<T extends string> {
  /** applied (or started) before `to` */
  from: T;
  to: T;
}

export class Dag<T extends string> {
  private readonly out = new Map<T, T[]>();
  private readonly in = new Map<T, T[]>();

  /** Edges naming an unknown node are ignored: a dependency outside the selection is not part of this graph. */
  constructor(nodes: Iterable<T>, edges: Iterable<Edge<T>> = []) {
    for (const n of nodes) {
      if (this.out.has(n)) continue;
      this.out.set(n, []);
      this.in.set(n, []);
    }
    for (const e of edges) this.addEdge(e.from, e.to);
  }

  get nodes(): T[] {
    return [...this.out.keys()];
  }

  has(node: T): boolean {
    return this.out.has(node);
  }

  addEdge(from: T, to: T): boolean {
    const succ = this.out.get(from);
    const pred = this.in.get(to);
    if (!succ || !pred || succ.includes(to)) return false;
    succ.push(to);
    pred.push(from);
    return true;
  }

  /** what must come after `node` directly */
  successors(node: T): readonly T[] {
    return this.out.get(node) ?? [];
  }

  /** what must come before `node` directly */
  predecessors(node: T): readonly T[] {
    return this.in.get(node) ?? [];
  }

  /** `roots` and everything they depend on, transitively */
  withAncestors(roots: Iterable<T>): Set<T> {
    return this.closure(roots, (n) => this.predecessors(n));
  }

  /** everything that depends on `roots`, transitively (the roots themselves excluded) */
  descendantsOf(roots: Iterable<T>): Set<T> {
    const start = [...roots];
    const found = this.closure(
      start.flatMap((r) => this.successors(r)),
      (n) => this.successors(n),
    );
    return found;
  }

  private closure(roots: Iterable<T>, next: (n: T) => readonly T[]): Set<T> {
    const seen = new Set<T>();
    const stack = [...roots].filter((r) => this.has(r));
    while (stack.length) {
      const n = stack.pop() as T;
      if (seen.has(n)) continue;
      seen.add(n);
      for (const m of next(n)) if (!seen.has(m)) stack.push(m);
    }
    return seen;
  }

  /** Kahn's algorithm taking the smallest ready id first: the same graph always yields the same order. */
  topologicalOrder(): T[] {
    const indegree = new Map<T, number>();
    for (const [n, preds] of this.in) indegree.set(n, preds.length);
    const ready = new MinHeap<T>();
    for (const [n, d] of indegree) if (d === 0) ready.push(n);
    const order: T[] = [];
    for (let n = ready.pop(); n !== undefined; n = ready.pop()) {
      order.push(n);
      for (const next of this.successors(n)) {
        const d = (indegree.get(next) ?? 0) - 1;
        indegree.set(next, d);
        if (d === 0) ready.push(next);
      }
    }
    return order;
  }

  /**
   * A cycle as a closed walk along the edges' reverse direction ("a needs b needs a"), starting at its
   * alphabetically first member so a message never depends on traversal order; null when acyclic.
   */
  findCycle(): T[] | null {
    const state = new Map<T, 'visiting' | 'done'>();
    const path: T[] = [];
    // Iterative DFS over "needs" edges (predecessors): deep chains must not overflow the stack.
    for (const start of [...this.nodes].sort()) {
      if (state.has(start)) continue;
      const frames: { node: T; next: T[] }[] = [{ node: start, next: [...this.predecessors(start)].sort() }];
      state.set(start, 'visiting');
      path.push(start);
      while (frames.length) {
        const top = frames[frames.length - 1] as { node: T; next: T[] };
        const n = top.next.shift();
        if (n === undefined) {
          frames.pop();
          path.pop();
          state.set(top.node, 'done');
          continue;
        }
        const s = state.get(n);
        if (s === 'visiting') return rotate(path.slice(path.indexOf(n)));
        if (s === undefined) {
          state.set(n, 'visiting');
          path.push(n);
          frames.push({ node: n, next: [...this.predecessors(n)].sort() });
        }
      }
    }
    return null;
  }
}

function rotate<T extends string>(ring: T[]): T[] {
  let start = 0;
  ring.forEach((x, i) => {
    if (x < (ring[start] as T)) start = i;
  });
  const rotated = [...ring.slice(start), ...ring.slice(0, start)];
  return [...rotated, rotated[0] as T];
}

/** A binary min-heap of strings: orders of thousands of nodes stay O(n log n). */
class MinHeap<T extends string> {
  private readonly items: T[] = [];

  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((a[parent] as T) <= item) break;
      a[i] = a[parent] as T;
      i = parent;
    }
    a[i] = item;
  }

  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (top === undefined || last === undefined || a.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= a.length) break;
      const r = l + 1;
      const child = r < a.length && (a[r] as T) < (a[l] as T) ? r : l;
      if ((a[child] as T) >= last) break;
      a[i] = a[child] as T;
      i = child;
    }
    a[i] = last;
    return top;
  }
}
