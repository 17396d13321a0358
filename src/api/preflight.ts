// Before any object of the project is created or changed: can this engine give GPUs at all? If not, one error
// names every GPU service and how to fix it, and nothing is touched.
import { UserError } from '../model/errors.js';
import type { Project } from '../model/model.js';
import { selectServices } from '../planner/plan.js';
import type { Action } from '../model/plan-types.js';
import type { Drivers } from './stack.js';

export interface GpuSupport {
  nvidiaRuntime: boolean;
  /** the NVIDIA Container Toolkit's hook: with it the engine has its `nvidia` device driver, runtime or not */
  nvidiaHook: string | null;
  cdiDevices: string[];
}

/** What the engine offers for GPUs, in words; empty when nothing. */
export function gpuOffers(support: GpuSupport): string[] {
  return [
    support.nvidiaRuntime ? 'nvidia runtime' : '',
    support.nvidiaHook ? `nvidia device driver: ${support.nvidiaHook}` : '',
    ...support.cdiDevices,
  ].filter(Boolean);
}

export function gpuServices(project: Project, services: string[] | undefined, noDeps = false): string[] {
  return selectServices(project, services, noDeps).filter((n) => {
    const s = project.services[n];
    return s?.driver === 'docker' && s.gpu !== null && s.replicas > 0;
  });
}

/** GPU services a plan would create, recreate or start: the ones a plan made elsewhere (scale, run, a saved plan) needs. */
export function gpuServicesOfActions(project: Project, actions: Action[]): string[] {
  const names = new Set<string>();
  for (const a of actions) {
    const s = a.kind === 'service' && a.op !== 'stop' && a.op !== 'remove' ? project.services[a.name] : undefined;
    if (s?.driver === 'docker' && s.gpu !== null) names.add(s.name);
  }
  return [...names].sort();
}

export function gpuPreflightError(names: string[], endpoint: string, support: GpuSupport, runtimes: string[]): UserError | null {
  if (!names.length || gpuOffers(support).length) return null;
  const who = names.length === 1 ? `service ${names[0]} asks` : `services ${names.join(', ')} ask`;
  return new UserError(
    `${who} for an NVIDIA GPU, but the engine at ${endpoint} cannot give one (runtimes: ${runtimes.join(', ') || 'none'}; no nvidia runtime, no nvidia device driver, no CDI GPU devices). ` +
      'Nothing was created or changed. Install the NVIDIA Container Toolkit on the engine host (nvidia-ctk runtime configure --runtime=docker, then restart the engine), ' +
      'or run on a GPU host; `surge doctor` shows what the engine offers.',
  );
}

/** A GPU service naming a runtime (gpu.runtime = "nvidia", "ghostnv") the engine does not have fails at create time, after
 * networks and volumes exist: refuse it up front instead. */
export function gpuRuntimeError(project: Project, names: string[], endpoint: string, runtimes: string[]): UserError | null {
  const missing = names
    .map((n) => [n, project.services[n]?.gpu?.runtime ?? null] as const)
    .filter((pair): pair is readonly [string, string] => pair[1] !== null && !runtimes.includes(pair[1]));
  if (!missing.length) return null;
  const what = missing.map(([n, r]) => `service ${n} asks for runtime "${r}"`).join(', ');
  return new UserError(
    `${what}, which the engine at ${endpoint} does not have (runtimes: ${runtimes.join(', ') || 'none'}). Nothing was created or changed. ` +
      'Register the runtime with the engine ("runtimes" in daemon.json; for "nvidia": nvidia-ctk runtime configure --runtime=docker, then restart the engine), ' +
      'or drop gpu.runtime to use the default runtime with the NVIDIA device request.',
  );
}

export async function gpuPreflight(project: Project, drivers: Drivers, services: string[] | undefined, noDeps = false): Promise<void> {
  await gpuPreflightFor(project, drivers, gpuServices(project, services, noDeps));
}

/** The preflight for an explicit list of GPU services (already filtered to those that need a GPU). */
export async function gpuPreflightFor(project: Project, drivers: Drivers, names: string[]): Promise<void> {
  if (!names.length) return;
  const { DockerDriver } = await import('../drivers/docker/docker-driver.js');
  const driver = await drivers.get('docker');
  if (!(driver instanceof DockerDriver)) return;
  const info = await driver.engineInfo();
  const error = gpuPreflightError(names, info.endpoint, info.gpu, info.runtimes) ?? gpuRuntimeError(project, names, info.endpoint, info.runtimes);
  if (error) throw error;
}

/** For `plan` and `up --dry-run`: the preflight's refusal as a notice, since they change nothing themselves. */
export async function gpuPreflightNotice(project: Project, drivers: Drivers, services: string[] | undefined, noDeps = false): Promise<string | null> {
  try {
    await gpuPreflight(project, drivers, services, noDeps);
    return null;
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    return `\`surge up\` would stop before changing anything: ${e.message}`;
  }
}
