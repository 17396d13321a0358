import { emptyProject } from '../../api/load.js';
import { listProjects, projectStatus } from '../../api/inspect.js';
import { connect } from '../../api/stack.js';
import { withStack, type GlobalArgs } from '../context.js';
import { out } from '../output.js';
import { table } from '../render/table.js';

/** The projects on the engine: no Boltfile needed. compose's columns (NAME, STATUS, CONFIG FILES) and JSON keys. */
export async function run(args: GlobalArgs & { all?: boolean; format?: 'table' | 'json'; quiet?: boolean }): Promise<number> {
  return withStack(await connect(emptyProject('ls', process.cwd())), async (stack) => {
    const projects = await listProjects(stack, { all: args.all ?? false });
    if (args.quiet) {
      if (projects.length) out(projects.map((p) => p.name).join('\n'));
      return 0;
    }
    const view = projects.map((p) => ({ Name: p.name, Status: projectStatus(p.states), ConfigFiles: p.configFiles.join(',') || 'N/A' }));
    if (args.format === 'json') {
      out(JSON.stringify(view));
      return 0;
    }
    out(table([['NAME', 'STATUS', 'CONFIG FILES'], ...view.map((v) => [v.Name, v.Status, v.ConfigFiles])]));
    return 0;
  });
}
