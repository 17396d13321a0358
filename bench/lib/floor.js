// The floor: only the engine calls a stack of this shape cannot avoid, through dockerode, all in parallel.
// Dependencies are ignored (ordering can only add time); no inspects, no image checks, no labels beyond one to
// find the containers again.
import { COMMAND, IMAGE } from './stacks.js';

export const FLOOR_LABEL = 'surge-bench.floor';

/**
 * @param {import('dockerode')} docker @param {string} project
 * @param {import('./stacks.js').ServiceSpec[]} services
 */
export async function floorUp(docker, project, services) {
  const network = `${project}_default`;
  await docker.createNetwork({ Name: network, Driver: 'bridge', Labels: { [FLOOR_LABEL]: project }, CheckDuplicate: true });
  await Promise.all(
    services.map(async (s) => {
      const c = await docker.createContainer({
        name: `${project}-${s.name}-1`,
        Image: IMAGE,
        Cmd: COMMAND,
        Labels: { [FLOOR_LABEL]: project },
        HostConfig: { NetworkMode: network },
        NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [s.name] } } },
      });
      await c.start();
    }),
  );
}

/** A no-op "up": the one list call that shows everything is already there. @param {import('dockerode')} docker @param {string} project */
export async function floorNoop(docker, project) {
  await docker.listContainers({ all: true, filters: { label: [`${FLOOR_LABEL}=${project}`] } });
}

/** @param {import('dockerode')} docker @param {string} project @param {import('./stacks.js').ServiceSpec[]} services */
export async function floorDown(docker, project, services) {
  await Promise.all(services.map((s) => docker.getContainer(`${project}-${s.name}-1`).remove({ force: true })));
  await docker.getNetwork(`${project}_default`).remove();
}
