import { emptyProject } from '../../api/load.js';
import { connect } from '../../api/stack.js';
import { doctor } from '../../api/status.js';
import { environment, withStack, type GlobalArgs } from '../context.js';
import { out } from '../output.js';

export async function run(args: GlobalArgs): Promise<number> {
  // What the engine offers does not depend on the Boltfile: doctor works without one.
  return withStack(await connect(emptyProject('doctor', process.cwd()), { env: environment(args) }), async (stack) => {
    const report = await doctor(stack, 'docker');
    const lines: string[] = [`node ${process.version}, ${process.platform}/${process.arch}`];
    if (!report.reachable) {
      lines.push(`engine: not reachable at ${report.endpoint}`, ...report.lines.map((l) => `  ${l.value}`), 'host processes (services with only a `command`) still work without an engine.');
      out(lines.join('\n'));
      return 1;
    }
    lines.push(`engine: reachable at ${report.endpoint}`);
    for (const l of report.lines) lines.push(l.label === 'version' ? `  version ${l.value}` : `  ${l.label}: ${l.value}`);
    // A Swarm manager: its nodes, their state and what each advertises (GPUs as generic resources).
    if (report.lines.some((l) => l.label === 'swarm' && l.value === 'active')) {
      const swarm = await doctor(stack, 'swarm');
      if (swarm.reachable) {
        lines.push('swarm: this engine is a manager');
        for (const l of swarm.lines) if (l.label !== 'version') lines.push(`  ${l.label}: ${l.value}`);
      } else lines.push(`swarm: ${swarm.lines.map((l) => l.value).join('; ')}`);
    }
    out(lines.join('\n'));
    return 0;
  });
}
