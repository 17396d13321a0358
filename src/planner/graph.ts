// The dependency DAG: nodes `network:NAME`, `volume:NAME`, `service:NAME`; an edge from what a node needs to
// the node. Orders are deterministic (ties broken by name) so plans and golden texts are stable.
import { Dag, type Edge } from '../model/dag.js';
import type { Project } from '../model/model.js';

/** A graph node id: `network:NAME`, `volume:NAME` or `service:NAME`. */
export type NodeId = `network:${string}` | `volume:${string}` | `service:${string}`;

/** A node of the project graph: a network, volume or service. */
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

/**
 * How `surge graph` names a node: a network shows its QUIC flag, and never claims encryption a bridge cannot give.
 */
export function graphLabel(n: GraphNode): string {
  const flags = [n.quic ? 'quic' : '', n.encryption ? (n.encryptionEnforced ? 'encrypted' : 'encryption not enforced') : ''].filter(Boolean);
  return flags.length ? `${n.id} (${flags.join(', ')})` : n.id;
}

/** The project graph: nodes, edges and a deterministic topological order. */
export interface ProjectGraph {
  dag: Dag<NodeId>;
  nodes: GraphNode[];
  /** `from` must be applied before `to` */
  edges: { from: NodeId; to: NodeId }[];
  /** a topological order, ties broken by node id */
  order: NodeId[];
}

export function serviceNode(name: string): NodeId {
  return `service:${name}`;
}

/** The services' depends_on graph: an edge from a dependency to the service that needs it. */
export function serviceGraph(project: Project, names: Iterable<string> = Object.keys(project.services)): Dag<string> {
  const nodes = [...names];
  const edges: Edge<string>[] = [];
  for (const n of nodes) for (const d of Object.keys(project.services[n]?.depends_on ?? {})) edges.push({ from: d, to: n });
  return new Dag(nodes, edges);
}

/** A depends_on cycle in a deterministic order, e.g. ["alpha", "beta", "gamma", "alpha"]; null when acyclic. */
export function findDependencyCycle(project: Project): string[] | null {
  return serviceGraph(project).findCycle();
}

/**
 * The dependency graph of a project (networks, volumes, services; an edge from what a node needs to the node), with a
 * deterministic topological order: what `surge graph` prints.
 */
export function buildGraph(project: Project): ProjectGraph {
  const nodes: GraphNode[] = [];
  const add = (node: GraphNode): void => {
    nodes.push(node);
  };
  for (const n of Object.values(project.networks)) {
    add({ id: `network:${n.name}`, kind: 'network', name: n.name, quic: n.quic, encryption: n.encryption, encryptionEnforced: n.encryption && n.driver === 'overlay' });
  }
  for (const v of Object.values(project.volumes)) add({ id: `volume:${v.name}`, kind: 'volume', name: v.name });
  for (const s of Object.values(project.services)) add({ id: serviceNode(s.name), kind: 'service', name: s.name });

  const dag = new Dag<NodeId>(nodes.map((n) => n.id));
  const edges: { from: NodeId; to: NodeId }[] = [];
  const edge = (from: NodeId, to: NodeId): void => {
    if (dag.addEdge(from, to)) edges.push({ from, to });
  };
  for (const s of Object.values(project.services)) {
    const to = serviceNode(s.name);
    for (const n of Object.keys(s.networks).sort()) edge(`network:${n}`, to);
    const vols = new Set(s.volumes.filter((m) => m.type === 'volume' && m.source).map((m) => m.source as string));
    for (const v of [...vols].sort()) edge(`volume:${v}`, to);
    for (const d of Object.keys(s.depends_on).sort()) edge(serviceNode(d), to);
  }
  return { dag, nodes, edges, order: dag.topologicalOrder() };
}
