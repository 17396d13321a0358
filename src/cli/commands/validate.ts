import { load, type GlobalArgs } from '../context.js';
import { err } from '../output.js';

export async function run(args: GlobalArgs): Promise<number> {
  const { project, warnings } = load(args);
  const n = Object.keys(project.services).length;
  err(`${project.files.join(', ')}: valid (project ${project.name}, ${n} service${n === 1 ? '' : 's'}${warnings.length ? `, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}` : ''})`);
  return 0;
}
