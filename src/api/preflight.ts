// The GPU preflight, asked of each driver through the driver contract (its GpuOffer) and decided by the planner's
// pure check: a GPU service on a target that cannot give GPUs stops the operation before anything is touched.
import { UserError } from '../model/errors.js';
import type { Action } from '../model/plan-types.js';
import { byDriver, gpuPreflightError, gpuRuntimeError, gpuServices, gpuServicesOfActions } from '../planner/gpu-preflight.js';
import type { Stack } from './stack.js';

/** Throws a `gpu-unavailable` error when a GPU service among `names` cannot get a GPU from its driver. */
export async function gpuPreflightFor(stack: Stack, names: string[]): Promise<void> {
  for (const [kind, services] of byDriver(stack.project, names)) {
    const driver = await stack.driver(kind);
    if (!driver.gpuOffer) continue;
    const offer = await driver.gpuOffer();
    const error = gpuPreflightError(services, offer) ?? gpuRuntimeError(stack.project, services, offer);
    if (error) throw error;
  }
}

export function gpuPreflight(stack: Stack, services: string[] | undefined, noDeps = false): Promise<void> {
  return gpuPreflightFor(stack, gpuServices(stack.project, services, noDeps));
}

export function gpuPreflightOfActions(stack: Stack, actions: Action[]): Promise<void> {
  return gpuPreflightFor(stack, gpuServicesOfActions(stack.project, actions));
}

/** For `plan` and `up --dry-run`: the preflight's refusal as a notice, since they change nothing themselves. */
export async function gpuPreflightNotice(stack: Stack, services: string[] | undefined, noDeps = false): Promise<string | null> {
  try {
    await gpuPreflight(stack, services, noDeps);
    return null;
  } catch (e) {
    if (!(e instanceof UserError) || e.code !== 'gpu-unavailable') throw e;
    return `\`surge up\` would stop before changing anything: ${e.message}`;
  }
}
