import { emptyProject } from '../../api/load.js';
import { connect } from '../../api/stack.js';
import { doctor } from '../../api/status.js';
import { withStack, type GlobalArgs } from '../context.js';
import { out } from '../output.js';

export async function run(_args: GlobalArgs): Promise<number> {
  // What the engine offers does not depend on the Boltfile: doctor works without one.
  return withStack(await connect(emptyProject('doctor', process.cwd())), async (stack) => {
    const report = await doctor(stack, 'docker');
    const lines: string[] = [`node ${process.version}, ${process.platform}/${process.arch}`];
    if (!report.reachable) {
      lines.push(`engine: not reachable at ${report.endpoint}`, ...report.lines.map((l) => `  ${l.value}`), 'host processes (services with only a `command`) still work without an engine.');
      out(lines.join('\n'));
      return 1;
    }
    lines.push(`engine: reachable at ${report.endpoint}`);
    for (const l of report.lines) lines.push(l.label === 'version' ? `  version ${l.value}` : `  ${l.label}: ${l.value}`);
    out(lines.join('\n'));
    return 0;
  });
}
