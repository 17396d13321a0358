import { errorMessage } from '../../model/errors.js';
import type { GlobalArgs } from '../../api/stack.js';
import { gpuOffers } from '../../api/preflight.js';
import { out } from '../output.js';

export async function run(_args: GlobalArgs & { format?: 'text' | 'json' }): Promise<number> {
  const { connectDocker, describeDockerEndpoint } = await import('../../drivers/docker/docker-driver.js');
  const lines: string[] = [`node ${process.version}, ${process.platform}/${process.arch}`];
  let driver;
  try {
    driver = await connectDocker();
  } catch (e) {
    lines.push(`engine: not reachable at ${describeDockerEndpoint()}`, `  ${errorMessage(e)}`, 'host processes (services with only a `command`) still work without an engine.');
    out(lines.join('\n'));
    return 1;
  }
  try {
    const info = await driver.engineInfo();
    const gpu = gpuOffers(info.gpu);
    lines.push(
      `engine: reachable at ${info.endpoint}`,
      `  version ${info.serverVersion}, API ${info.apiVersion}, ${info.os}`,
      `  runtimes: ${info.runtimes.join(', ') || 'none'} (default ${info.defaultRuntime})`,
      `  GPU: ${gpu.length ? `yes (${gpu.join(', ')})` : 'no NVIDIA runtime or CDI GPU devices, no nvidia device driver: GPU services cannot start here (install the NVIDIA Container Toolkit)'}`,
      `  swarm: ${info.swarm}`,
    );
    out(lines.join('\n'));
    return 0;
  } finally {
    await driver.close();
  }
}
