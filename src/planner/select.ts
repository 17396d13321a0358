// Which services an operation covers: the ones named (all when none are) plus, unless noDeps, what they depend on.
import { UserError } from '../model/errors.js';
import type { Project } from '../model/model.js';
import { serviceGraph } from './graph.js';

/** Throws `no-such-service` for a name the project does not declare, listing the ones it does. */
export function checkServiceNames(project: Project, names: readonly string[]): void {
  for (const n of names) {
    if (!project.services[n]) {
      const known = Object.keys(project.services).sort().join(', ');
      throw new UserError(`no such service: ${n} (services: ${known || 'none'})`, 'no-such-service');
    }
  }
}

/** The selected services plus, unless `noDeps`, everything they depend on, sorted by name. */
export function selectServices(project: Project, names: readonly string[] | undefined, noDeps = false): string[] {
  if (!names || names.length === 0) return Object.keys(project.services).sort();
  checkServiceNames(project, names);
  if (noDeps) return [...new Set(names)].sort();
  return [...serviceGraph(project).withAncestors(names)].sort();
}
