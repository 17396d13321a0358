// The dependency DAG: nodes `network:NAME`, `volume:NAME`, `service:NAME`; an edge from what a node needs to
// the node. Orders are deterministic (ties broken by name) so plans and golden texts are stable.
import { Graph } from '@dagrejs/graphlib';
import type { Project } from './model.js';

export type NodeId = `network:${string}` | `volume:${string}` | `service:${string}`;

export interface GraphNode {
  id: NodeId;
  kind: 'network' | 'volume' | 'service';
  name: string;
  /** networks: the QUIC flag and encryption, shown by `surge graph` */
  quic?: boolean;
  encryption?: boolean;
  /** encryption is only real on a swarm overlay network; on a bridge it is a recorded wish */
  encryptionEnforced?: boolean;
}

/** How `surge graph` names a node: a network shows its QUIC flag, and never claims encryption a bridge cannot give. */
export function graphLabel(n: GraphNode): string {
  const flags = [n.quic ? 'quic' : '', n.encryption ? (n.encryptionEnforced ? 'encrypted' : 'encryption not enforced') : ''].filter(Boolean);
  return flags.length ? `${n.id} (${flags.join(', ')})` : n.id;
}

export interface ProjectGraph {
  graph: Graph;
  nodes: GraphNode[];
  /** `from` must be applied before `to` */
  edges: { from: NodeId; to: NodeId }[];
  /** a topological order, ties broken by node id */
  order: NodeId[];
}

export function serviceNode(name: string): NodeId {
  return `service:${name}`;
}

/** A depends_on cycle in a deterministic order, e.g. ["alpha", "beta", "gamma", "alpha"]; null when acyclic. */
export function findDependencyCycle(project: Project): string[] | null {
  const names = Object.keys(project.services).sort();
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): string[] | null => {
    state.set(n, 'visiting');
    stack.push(n);
    const deps = Object.keys(project.services[n]?.depends_on ?? {})
      .filter((d) => project.services[d])
      .sort();
    for (const d of deps) {
      const s = state.get(d);
      if (s === 'visiting') return [...stack.slice(stack.indexOf(d)), d];
      if (s === undefined) {
        const found = visit(d);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(n, 'done');
    return null;
  };
  for (const n of names) {
    if (state.has(n)) continue;
    const cycle = visit(n);
    if (cycle) {
      // Start the cycle at its alphabetically first member so the message never depends on traversal order.
      const ring = cycle.slice(0, -1);
      let start = 0;
      ring.forEach((x, i) => {
        if (x < (ring[start] as string)) start = i;
      });
      const rotated = [...ring.slice(start), ...ring.slice(0, start)];
      return [...rotated, rotated[0] as string];
    }
  }
  return null;
}

export function buildGraph(project: Project): ProjectGraph {
  const g = new Graph({ directed: true });
  const nodes: GraphNode[] = [];
  const add = (node: GraphNode): void => {
    nodes.push(node);
    g.setNode(node.id, node);
  };
  for (const n of Object.values(project.networks)) {
    add({ id: `network:${n.name}`, kind: 'network', name: n.name, quic: n.quic, encryption: n.encryption, encryptionEnforced: n.encryption && n.driver === 'overlay' });
  }
  for (const v of Object.values(project.volumes)) add({ id: `volume:${v.name}`, kind: 'volume', name: v.name });
  for (const s of Object.values(project.services)) add({ id: serviceNode(s.name), kind: 'service', name: s.name });

  const edges: { from: NodeId; to: NodeId }[] = [];
  const edge = (from: NodeId, to: NodeId): void => {
    if (!g.hasNode(from) || g.hasEdge(from, to)) return;
    g.setEdge(from, to);
    edges.push({ from, to });
  };
  for (const s of Object.values(project.services)) {
    const to = serviceNode(s.name);
    for (const n of Object.keys(s.networks).sort()) edge(`network:${n}`, to);
    const vols = new Set(s.volumes.filter((m) => m.type === 'volume' && m.source).map((m) => m.source as string));
    for (const v of [...vols].sort()) edge(`volume:${v}`, to);
    for (const d of Object.keys(s.depends_on).sort()) edge(serviceNode(d), to);
  }
  return { graph: g, nodes, edges, order: topologicalOrder(nodes.map((n) => n.id), edges) };
}

/** Kahn's algorithm taking the smallest ready id first: the same input always yields the same order. */
export function topologicalOrder<T extends string>(ids: T[], edges: { from: T; to: T }[]): T[] {
  const indegree = new Map<T, number>(ids.map((id) => [id, 0]));
  const out = new Map<T, T[]>(ids.map((id) => [id, []]));
  for (const e of edges) {
    if (!indegree.has(e.to) || !indegree.has(e.from)) continue;
    indegree.set(e.to, (indegree.get(e.to) ?? 0) + 1);
    out.get(e.from)?.push(e.to);
  }
  const ready = new MinHeap<T>();
  for (const id of ids) if (indegree.get(id) === 0) ready.push(id);
  const order: T[] = [];
  for (let id = ready.pop(); id !== undefined; id = ready.pop()) {
    order.push(id);
    for (const next of out.get(id) ?? []) {
      const d = (indegree.get(next) ?? 0) - 1;
      indegree.set(next, d);
      if (d === 0) ready.push(next);
    }
  }
  return order;
}

/** A binary min-heap of strings: plans of thousands of services stay O(n log n). */
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
