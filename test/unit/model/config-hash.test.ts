import { describe, expect, it } from 'vitest';
import { canonicalServiceConfig, networkConfigHash, serviceConfigHash, stableStringify, volumeConfigHash } from '../../../src/model/config-hash.js';
import { diffConfigs } from '../../../src/planner/config-diff.js';
import { loadToml } from '../../fixtures/load-toml.js';

const BASE = `[services.db]
image = "postgres:16"
[services.web]
image = "nginx:1.27"
command = ["nginx", "-g", "daemon off;"]
environment = { MODE = "prod", API_KEY = "s3cret" }
ports = ["8080:80"]
depends_on = ["db"]
[network]
driver = "quic"
[volumes.data]
`;

function web(toml: string) {
  const s = loadToml(toml).project.services.web;
  if (!s) throw new Error('no web');
  return s;
}

describe('config hash', () => {
  // These literals are the contract with every stack already running: if this test fails, every user's
  // containers would be recreated by the new version. Change the canonical form only with a migration.
  it('is stable across surge versions (golden)', () => {
    const { project } = loadToml(BASE);
    expect(stableStringify(canonicalServiceConfig(project.services.web!))).toBe(
      '{"command":["nginx","-g","daemon off;"],"environment":{"API_KEY":"sha256:1ec1c26b50d5d3c5","MODE":"prod"},"image":"nginx:1.27",' +
        '"networks":{"default":{}},"ports":[{"protocol":"tcp","published":"8080","target":"80"}]}',
    );
    expect(serviceConfigHash(project.services.web!)).toBe('396892d382a1ad839667a7055eada97f7e13ba6657b9eb6c9c1fe0fddc642bd2');
    expect(networkConfigHash(project.networks.default!)).toBe('5bd508a5b7ca0e90a4c0376d92b1300f575bf0e79a96dd3aadc4ad8403d8c523');
    expect(volumeConfigHash(project.volumes.data!)).toBe('c84f49668c190abc662cdaf47eedf2647b2fcf2c6cd8008bbf61a0d103dd0f4c');
  });

  it('does not change with key order or fields that do not force a replacement', () => {
    const reordered = `[services.web]
depends_on = []
replicas = 3
ports = ["8080:80"]
environment = { API_KEY = "s3cret", MODE = "prod" }
command = ["nginx", "-g", "daemon off;"]
image = "nginx:1.27"
develop.watch = [{ path = "./src", action = "restart" }]
`;
    expect(serviceConfigHash(web(reordered))).toBe(serviceConfigHash(web(BASE)));
  });

  it('changes with every field that forces a replacement', () => {
    const base = serviceConfigHash(web(BASE));
    for (const edit of ['MODE = "prod"|MODE = "dev"', '8080:80|8081:80', 'nginx:1.27|nginx:1.28', '"daemon off;"|"daemon on;"']) {
      const [from, to] = edit.split('|') as [string, string];
      expect(serviceConfigHash(web(BASE.replace(from, to))), edit).not.toBe(base);
    }
    expect(serviceConfigHash(web(`${BASE.replace('[network]', 'restart = "always"\n[network]')}`))).not.toBe(base);
  });

  it('keeps secrets out of the stored canonical config', () => {
    const c = canonicalServiceConfig(web(BASE));
    expect(stableStringify(c)).not.toContain('s3cret');
    expect((c.environment as Record<string, string>).API_KEY).toMatch(/^sha256:[0-9a-f]{16}$/);
  });

  it('says what changed', () => {
    const before = canonicalServiceConfig(web(BASE));
    const after = canonicalServiceConfig(web(BASE.replace('MODE = "prod"', 'MODE = "dev", NEW = "1"').replace('s3cret', 'other').replace('8080:80', '9090:80')));
    const d = diffConfigs(before, after);
    expect(d.reasons).toEqual(['env API_KEY changed', 'env MODE changed', 'env NEW added', 'ports changed']);
    expect(d.changes.find((c) => c.path === 'environment.API_KEY')).toEqual({ path: 'environment.API_KEY', before: '(sensitive)', after: '(sensitive)', sensitive: true });
    expect(JSON.stringify(d.changes)).not.toContain('sha256:');
  });
});
