// `down` when the engine will not remove a network: say why, in words a user can act on.
import { describe, expect, it } from 'vitest';
import { EngineApiError, type EngineApi } from '../../../../src/drivers/docker/engine-api.js';
import { removeNetwork } from '../../../../src/drivers/docker/resources.js';
import { loadToml } from '../../../fixtures/load-toml.js';

function engine(containers: Record<string, { Name: string }>): EngineApi {
  return {
    delete: async () => {
      throw new EngineApiError(403, 'error while removing network: network p_default id 5345 has active endpoints');
    },
    get: async () => ({ Containers: containers }),
  } as unknown as EngineApi;
}

describe('removing a network the engine says is in use', () => {
  const { project } = loadToml('project = "p"\n[services.a]\nimage = "x"');

  it('names the containers still attached', async () => {
    await expect(removeNetwork(engine({ abc: { Name: 'stranger' } }), project, 'default')).rejects.toThrow(
      'network p_default is still used by stranger: stop or disconnect them, then run `surge down` again',
    );
  });

  it('with none attached, says it is the engine\'s bug (moby/moby#42119) and what clears it', async () => {
    await expect(removeNetwork(engine({}), project, 'default')).rejects.toThrow(/counts endpoints although no container is attached .*moby\/moby#42119.*restarting the engine clears it/);
  });
});
