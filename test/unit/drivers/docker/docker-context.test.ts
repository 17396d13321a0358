// The docker CLI's contexts: without DOCKER_HOST, the current context's endpoint and TLS files are used.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withDockerContext } from '../../../../src/drivers/docker/docker-context.js';
import { resolveEndpoint } from '../../../../src/drivers/docker/engine-api.js';

const dir = mkdtempSync(join(tmpdir(), 'surge-ctx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function context(name: string, host: string, tls = false): void {
  const id = createHash('sha256').update(name).digest('hex');
  mkdirSync(join(dir, 'contexts', 'meta', id), { recursive: true });
  writeFileSync(join(dir, 'contexts', 'meta', id, 'meta.json'), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } }));
  if (tls) {
    mkdirSync(join(dir, 'contexts', 'tls', id, 'docker'), { recursive: true });
    for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(dir, 'contexts', 'tls', id, 'docker', f), `-- ${f} --`);
  }
}

describe('docker contexts', () => {
  context('cluster', 'unix:///run/manager.sock');
  context('remote', 'tcp://manager.example:2376', true);
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ currentContext: 'cluster' }));

  it('the current context from config.json, unless DOCKER_CONTEXT names another; DOCKER_HOST wins over both', () => {
    expect(withDockerContext({ DOCKER_CONFIG: dir }).DOCKER_HOST).toBe('unix:///run/manager.sock');
    expect(resolveEndpoint({ DOCKER_CONFIG: dir })).toEqual({ socketPath: '/run/manager.sock', protocol: 'http' });
    expect(withDockerContext({ DOCKER_CONFIG: dir, DOCKER_HOST: 'unix:///x.sock' }).DOCKER_HOST).toBe('unix:///x.sock');
    expect(withDockerContext({ DOCKER_CONFIG: dir, DOCKER_CONTEXT: 'default' }).DOCKER_HOST).toBeUndefined();
  });

  it('a context with TLS material verifies with it', () => {
    const env = withDockerContext({ DOCKER_CONFIG: dir, DOCKER_CONTEXT: 'remote' });
    expect(env).toMatchObject({ DOCKER_HOST: 'tcp://manager.example:2376', DOCKER_TLS_VERIFY: '1' });
    const endpoint = resolveEndpoint({ DOCKER_CONFIG: dir, DOCKER_CONTEXT: 'remote' });
    expect(endpoint).toMatchObject({ host: 'manager.example', port: 2376, protocol: 'https' });
    expect(endpoint.ca?.toString()).toBe('-- ca.pem --');
  });

  it('a context that does not exist is an error, as with the docker CLI', () => {
    expect(() => withDockerContext({ DOCKER_CONFIG: dir, DOCKER_CONTEXT: 'nope' })).toThrow(/docker context "nope" has no Docker endpoint/);
  });
});
