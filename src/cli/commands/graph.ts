import { buildGraph, graphLabel as label } from '../../api/format.js';
import { load, type GlobalArgs } from '../context.js';
import { out } from '../output.js';
import { compareText } from '../../model/order.js';

export async function run(args: GlobalArgs & { format?: 'dot' | 'mermaid' | 'json' }): Promise<number> {
  const { project } = load(args);
  const g = buildGraph(project);
  const nodes = [...g.nodes].sort((a, b) => compareText(a.id, b.id));
  if (args.format === 'json') {
    out(
      JSON.stringify(
        {
          nodes: nodes.map((n) => n.id),
          edges: g.edges,
          order: g.order,
          networks: Object.fromEntries(nodes.filter((n) => n.kind === 'network').map((n) => [n.name, { quic: n.quic ?? false, encryption: n.encryption ?? false, encryption_enforced: n.encryptionEnforced ?? false }])),
        },
        null,
        2,
      ),
    );
  } else if (args.format === 'mermaid') {
    const id = (s: string): string => s.replace(/[^A-Za-z0-9_]/g, '_');
    const lines = ['graph LR'];
    for (const n of nodes) lines.push(`  ${id(n.id)}["${label(n)}"]`);
    for (const e of g.edges) lines.push(`  ${id(e.from)} --> ${id(e.to)}`);
    out(lines.join('\n'));
  } else {
    const lines = [`digraph "${project.name}" {`, '  rankdir=LR;'];
    for (const n of nodes) lines.push(`  "${n.id}" [label="${label(n)}", shape=${n.kind === 'service' ? 'box' : n.kind === 'network' ? 'ellipse' : 'cylinder'}];`);
    for (const e of g.edges) lines.push(`  "${e.from}" -> "${e.to}";`);
    lines.push('}');
    out(lines.join('\n'));
  }
  return 0;
}
