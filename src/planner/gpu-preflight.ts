// Before any object of the project is created or changed: can the target give GPUs at all? Pure: the driver reports
// what it offers (GpuOffer); this decides. If it cannot, one error names every GPU service and how to fix it.
import { UserError } from '../model/errors.js';
import type { DriverKind, Project } from '../model/model.js';
import type { Action } from '../model/plan-types.js';
import { selectServices } from './select.js';

/** What a target offers GPU services (the driver contract's GpuOffer, restated so the planner imports no driver). */
export interface GpuOfferView {
  endpoint: string;
  offers: string[];
  runtimes: string[];
}

/** The selected services that need a GPU, by the driver that runs them. */
export function gpuServices(project: Project, services: string[] | undefined, noDeps = false): string[] {
  return selectServices(project, services, noDeps).filter((n) => {
    const s = project.services[n];
    return s !== undefined && s.driver !== 'process' && s.gpu !== null && s.replicas > 0;
  });
}

/** GPU services a plan would create, recreate or start: the ones a plan made elsewhere (scale, run, a saved plan) needs. */
export function gpuServicesOfActions(project: Project, actions: Action[]): string[] {
  const names = new Set<string>();
  for (const a of actions) {
    const s = a.kind === 'service' && a.op !== 'stop' && a.op !== 'remove' ? project.services[a.name] : undefined;
    if (s && s.driver !== 'process' && s.gpu !== null) names.add(s.name);
  }
  return [...names].sort();
}

/** GPU services grouped by the driver that runs them, for asking each driver once. */
export function byDriver(project: Project, names: string[]): Map<DriverKind, string[]> {
  const out = new Map<DriverKind, string[]>();
  for (const n of names) {
    const kind = project.services[n]?.driver;
    if (kind) out.set(kind, [...(out.get(kind) ?? []), n]);
  }
  return out;
}

export function gpuPreflightError(names: string[], offer: GpuOfferView): UserError | null {
  if (!names.length || offer.offers.length) return null;
  const who = names.length === 1 ? `service ${names[0]} asks` : `services ${names.join(', ')} ask`;
  return new UserError(
    `${who} for an NVIDIA GPU, but the engine at ${offer.endpoint} cannot give one (runtimes: ${offer.runtimes.join(', ') || 'none'}; no nvidia runtime, no nvidia device driver, no CDI GPU devices). ` +
      'Nothing was created or changed. Install the NVIDIA Container Toolkit on the engine host (nvidia-ctk runtime configure --runtime=docker, then restart the engine), ' +
      'or run on a GPU host; `surge doctor` shows what the engine offers.',
    'gpu-unavailable',
  );
}

/** A GPU service naming a runtime (gpu.runtime = "nvidia", "ghostnv") the engine does not have fails at create time, after
 * networks and volumes exist: refuse it up front instead. */
export function gpuRuntimeError(project: Project, names: string[], offer: GpuOfferView): UserError | null {
  const missing = names
    .map((n) => [n, project.services[n]?.gpu?.runtime ?? null] as const)
    .filter((pair): pair is readonly [string, string] => pair[1] !== null && !offer.runtimes.includes(pair[1]));
  if (!missing.length) return null;
  const what = missing.map(([n, r]) => `service ${n} asks for runtime "${r}"`).join(', ');
  return new UserError(
    `${what}, which the engine at ${offer.endpoint} does not have (runtimes: ${offer.runtimes.join(', ') || 'none'}). Nothing was created or changed. ` +
      'Register the runtime with the engine ("runtimes" in daemon.json; for "nvidia": nvidia-ctk runtime configure --runtime=docker, then restart the engine), ' +
      'or drop gpu.runtime to use the default runtime with the NVIDIA device request.',
    'gpu-unavailable',
  );
}
