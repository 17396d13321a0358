// The engine's answers about the state it is in are facts, not failures: 304 on start, 409 on create/rename when
// the name's holder is this replica's, 409 on a network create when the network is ours. Against a scripted engine.
import { describe, expect, it } from 'vitest';
import { createAndStart, finishReplacement, start } from '../../../../src/drivers/docker/containers.js';
import { EngineApiError, type EngineApi, type RequestOptions } from '../../../../src/drivers/docker/engine-api.js';
import { observeDocker } from '../../../../src/drivers/docker/observe.js';
import { createNetwork } from '../../../../src/drivers/docker/resources.js';
import { serviceConfigHash } from '../../../../src/model/config-hash.js';
import type { ActionContext } from '../../../../src/drivers/driver.js';
import { loadToml } from '../../../fixtures/load-toml.js';

type Route = (path: string, options: RequestOptions | undefined) => unknown;

/** An engine answering by "METHOD path" prefix; it records every call. A thrown EngineApiError is the engine's error. */
function engine(routes: Record<string, Route>): EngineApi & { calls: string[] } {
  const calls: string[] = [];
  const answer = (method: string) => async (path: string, options?: RequestOptions) => {
    calls.push(`${method} ${path}${options?.query?.name ? ` name=${String(options.query.name)}` : ''}`);
    const key = Object.keys(routes).find((k) => `${method} ${path}`.startsWith(k));
    if (!key) throw new Error(`unexpected ${method} ${path}`);
    return routes[key]?.(path, options);
  };
  return { calls, get: answer('GET'), post: answer('POST'), delete: answer('DELETE') } as unknown as EngineApi & { calls: string[] };
}

const fail = (status: number, message: string): never => {
  throw new EngineApiError(status, message);
};
const ctx: ActionContext = { signal: new AbortController().signal, log: () => {} };
const { project } = loadToml('project = "p"\n[services.web]\nimage = "nginx"\n');
const web = project.services.web!;
const spec = { project, service: web, replica: 1, configHash: serviceConfigHash(web), surgeVersion: '0' };
const labels = (over: Record<string, string> = {}) => ({ 'surge.project': 'p', 'surge.service': 'web', 'surge.replica': '1', 'surge.config-hash': spec.configHash, ...over });

describe('facts the engine answers with', () => {
  it('starting a container that runs already (304) is what the plan wanted', async () => {
    const api = engine({ 'POST /containers/c1/start': () => fail(304, 'HTTP 304') });
    await expect(start(api, project, web, 'c1')).resolves.toBeUndefined();
  });

  it('a real start failure still fails, naming the service', async () => {
    const api = engine({ 'POST /containers/c1/start': () => fail(500, 'no such image') });
    await expect(start(api, project, web, 'c1')).rejects.toThrow('service web: cannot start its container: no such image');
  });

  it('create: the name held by this replica with this config (409) is used, and started', async () => {
    const api = engine({
      'POST /containers/create': () => fail(409, 'Conflict. The container name "/p-web-1" is already in use'),
      'GET /containers/p-web-1/json': () => ({ Id: 'late1', Config: { Labels: labels() } }),
      'POST /containers/late1/start': () => fail(304, 'HTTP 304'),
    });
    await expect(createAndStart(api, spec, 'p-web-1', ctx)).resolves.toBe('late1');
    expect(api.calls).toEqual(['POST /containers/create name=p-web-1', 'GET /containers/p-web-1/json', 'POST /containers/late1/start']);
  });

  it('create: a name held by another run\'s create still in flight (409, then 404 on inspect) is asked again', async () => {
    let inspects = 0;
    const api = engine({
      'POST /containers/create': () => fail(409, 'Conflict'),
      'GET /containers/p-web-1/json': () => (inspects++ < 2 ? fail(404, 'No such container: p-web-1') : { Id: 'late1', Config: { Labels: labels() } }),
      'POST /containers/late1/start': () => undefined,
    });
    await expect(createAndStart(api, spec, 'p-web-1', ctx)).resolves.toBe('late1');
    expect(inspects).toBe(3);
  });

  it('create or start on a network name the engine holds twice says why and what to do', async () => {
    const api = engine({ 'POST /containers/create': () => fail(400, 'network p_default is ambiguous (2 matches found on name)') });
    await expect(createAndStart(api, spec, 'p-web-1', ctx)).rejects.toThrow(
      'service web: cannot create container p-web-1: network p_default is ambiguous (2 matches found on name) (two networks have that name, made by two runs at once: `surge up` again removes the empty one)',
    );
  });

  it('create: the name held by this replica with another config (409) is replaced', async () => {
    let created = 0;
    const api = engine({
      'POST /containers/create': () => (created++ === 0 ? fail(409, 'Conflict') : { Id: 'new1' }),
      'GET /containers/p-web-1/json': () => ({ Id: 'late1', Config: { Labels: labels({ 'surge.config-hash': 'older' }) } }),
      'GET /containers/late1/json': () => ({ Id: 'late1', Mounts: [] }),
      'POST /containers/late1/stop': () => undefined,
      'DELETE /containers/late1': () => undefined,
      'POST /containers/new1/rename': () => undefined,
      'POST /containers/new1/start': () => undefined,
    });
    await expect(createAndStart(api, spec, 'p-web-1', ctx)).resolves.toBe('new1');
    expect(api.calls.filter((c) => !c.startsWith('GET'))).toEqual([
      'POST /containers/create name=p-web-1',
      expect.stringMatching(/^POST \/containers\/create name=p-web-1_surge-new-[0-9a-f]{6}$/),
      'POST /containers/late1/stop',
      'DELETE /containers/late1',
      'POST /containers/new1/rename name=p-web-1',
      'POST /containers/new1/start',
    ]);
  });

  it('create: a name held by a container surge did not make for this replica is an error that says what to do', async () => {
    const api = engine({
      'POST /containers/create': () => fail(409, 'Conflict'),
      'GET /containers/p-web-1/json': () => ({ Id: 'abcdef0123456789', Config: { Labels: { 'surge.project': 'other' } } }),
    });
    await expect(createAndStart(api, spec, 'p-web-1', ctx)).rejects.toThrow(
      'service web: the name p-web-1 is taken by container abcdef012345, which surge did not make for this replica: remove or rename it, then run `surge up` again',
    );
  });

  it('finishing a replacement: a holder of the name from this replica goes, then the new container takes it and starts', async () => {
    let renames = 0;
    const api = engine({
      'POST /containers/t1/rename': () => (renames++ === 0 ? fail(409, 'Conflict') : undefined),
      'GET /containers/p-web-1/json': () => ({ Id: 'other1', Config: { Labels: labels() } }),
      'POST /containers/other1/stop': () => fail(304, 'HTTP 304'),
      'DELETE /containers/other1': () => fail(404, 'No such container'),
      'POST /containers/t1/start': () => undefined,
    });
    await finishReplacement(api, spec, 'p-web-1', 't1', ctx);
    expect(api.calls).toEqual([
      'POST /containers/t1/rename name=p-web-1',
      'GET /containers/p-web-1/json',
      'POST /containers/other1/stop',
      'DELETE /containers/other1',
      'POST /containers/t1/rename name=p-web-1',
      'POST /containers/t1/start',
    ]);
  });

  it('a network that exists (409) is fine when it is ours, an error when it is not', async () => {
    const net = project.networks.default!;
    const answer = (labelsOf: Record<string, string>) =>
      engine({ 'POST /networks/create': () => fail(409, 'network with name p_default already exists'), 'GET /networks': () => [{ Id: 'n1', Name: 'p_default', Labels: labelsOf }] });
    await expect(createNetwork(answer({ 'surge.project': 'p', 'surge.network': 'default' }), project, net, 'h', '0')).resolves.toBeUndefined();
    await expect(createNetwork(answer({}), project, net, 'h', '0')).rejects.toThrow('network p_default exists and surge did not make it for project p: remove it, or declare it external');
  });
});

describe('what the observer reports', () => {
  it('a temporary replacement container is pendingReplacement; duplicate networks come with their attachments', async () => {
    const container = (name: string) => ({ Id: name, Names: [`/${name}`], Image: 'nginx', ImageID: 'i', Labels: labels(), State: 'created', Status: 'Created', Ports: [] });
    const api = engine({
      'GET /containers/json': () => [container('p-web-1'), container('p-web-1_surge-new-0a1b2c')],
      'GET /networks/n1': () => ({ Id: 'n1', Containers: { x: { Name: 'p-web-1' } } }),
      'GET /networks/n2': () => ({ Id: 'n2', Containers: {} }),
      'GET /networks': () => [
        { Id: 'n1', Name: 'p_default', Labels: { 'surge.network': 'default' }, Created: '2026-01-01T00:00:01Z' },
        { Id: 'n2', Name: 'p_default', Labels: { 'surge.network': 'default' }, Created: '2026-01-01T00:00:02Z' },
      ],
      'GET /volumes': () => ({ Volumes: [] }),
      'GET /images/json': () => [],
      // an image the list did not match is asked of the engine by name (Podman names local images localhost/NAME)
      'GET /images/nginx/json': () => fail(404, 'No such image: nginx'),
    });
    const state = await observeDocker(api, project);
    expect(state.containers.map((c) => [c.name, c.pendingReplacement ?? false])).toEqual([
      ['p-web-1', false],
      ['p-web-1_surge-new-0a1b2c', true],
    ]);
    expect(state.networks.map((n) => [n.id, n.attached])).toEqual([
      ['n1', ['p-web-1']],
      ['n2', []],
    ]);
  });
});
