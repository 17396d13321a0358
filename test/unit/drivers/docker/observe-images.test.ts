// Image presence is asked of the engine the way it resolves names: what the tag list matches costs no more calls,
// and what it misses (Podman's `localhost/NAME` for a loaded NAME) is inspected by the name the Boltfile gives.
import { describe, expect, it } from 'vitest';
import { EngineApiError, type EngineApi } from '../../../../src/drivers/docker/engine-api.js';
import { observeDocker } from '../../../../src/drivers/docker/observe.js';
import { loadToml } from '../../../fixtures/load-toml.js';

const { project } = loadToml(`project = "p"
[services.a]
image = "surge-test/busybox:1"
[services.b]
image = "nginx"
[services.c]
image = "missing/thing:2"
`);

function engine(tags: Record<string, string>, resolves: Record<string, string>): { api: EngineApi; inspected: string[] } {
  const inspected: string[] = [];
  const api = {
    get: async (path: string) => {
      if (path === '/images/json') return Object.entries(tags).map(([tag, id]) => ({ Id: id, RepoTags: [tag] }));
      const m = /^\/images\/(.+)\/json$/.exec(path);
      if (m) {
        const ref = decodeURIComponent(m[1] ?? '');
        inspected.push(ref);
        const id = resolves[ref];
        if (!id) throw new EngineApiError(404, `No such image: ${ref}`);
        return { Id: id };
      }
      if (path === '/volumes') return { Volumes: [] };
      return [];
    },
  } as unknown as EngineApi;
  return { api, inspected };
}

describe('image presence', () => {
  it('Docker: the tag list answers for every image it has; only the one it lacks is asked about', async () => {
    const { api, inspected } = engine({ 'surge-test/busybox:1': 'sha256:b', 'nginx:latest': 'sha256:n' }, {});
    const state = await observeDocker(api, project);
    expect(state.images).toEqual({ 'surge-test/busybox:1': 'sha256:b', nginx: 'sha256:n', 'missing/thing:2': null });
    expect(inspected).toEqual(['missing/thing:2']);
  });

  it('Podman: a loaded image is tagged localhost/NAME; the engine finds it by NAME, so it is present', async () => {
    const { api } = engine({ 'localhost/surge-test/busybox:1': 'sha256:b' }, { 'surge-test/busybox:1': 'sha256:b' });
    const state = await observeDocker(api, project);
    expect(state.images['surge-test/busybox:1']).toBe('sha256:b');
    expect(state.images.nginx).toBeNull();
  });
});
