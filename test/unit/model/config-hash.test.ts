import { describe, expect, it } from 'vitest';
import { MemoryDriver } from '../../../src/drivers/memory/memory-driver.js';
import { executePlan } from '../../../src/engine/executor.js';
import {
  canonicalServiceConfig,
  networkConfigHash,
  newConfigSalt,
  projectConfigSalt,
  serviceConfigHash,
  stableStringify,
  volumeConfigHash,
} from '../../../src/model/config-hash.js';
import type { Service } from '../../../src/model/model.js';
import { emptyObservedState, type ObservedContainer } from '../../../src/model/observed.js';
import { diffConfigs } from '../../../src/planner/config-diff.js';
import { plan } from '../../../src/planner/plan.js';
import { loadToml } from '../../fixtures/load-toml.js';

const SALT = '00112233445566778899aabbccddeeff';

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
  // containers would be recreated by the new version. Change the canonical form only with a migration. The legacy
  // form (salt null) is what containers labelled before salting carry: it is still compared byte for byte.
  it('is stable across surge versions (golden, legacy unsalted form)', () => {
    const { project } = loadToml(BASE);
    expect(stableStringify(canonicalServiceConfig(project.services.web!, null))).toBe(
      '{"command":["nginx","-g","daemon off;"],"environment":{"API_KEY":"sha256:1ec1c26b50d5d3c5","MODE":"prod"},"image":"nginx:1.27",' +
        '"networks":{"default":{}},"ports":[{"protocol":"tcp","published":"8080","target":"80"}]}',
    );
    expect(serviceConfigHash(project.services.web!, null)).toBe('396892d382a1ad839667a7055eada97f7e13ba6657b9eb6c9c1fe0fddc642bd2');
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
    expect(serviceConfigHash(web(reordered), SALT)).toBe(serviceConfigHash(web(BASE), SALT));
  });

  it('changes with every field that forces a replacement', () => {
    const base = serviceConfigHash(web(BASE), SALT);
    for (const edit of ['MODE = "prod"|MODE = "dev"', '8080:80|8081:80', 'nginx:1.27|nginx:1.28', '"daemon off;"|"daemon on;"']) {
      const [from, to] = edit.split('|') as [string, string];
      expect(serviceConfigHash(web(BASE.replace(from, to)), SALT), edit).not.toBe(base);
    }
    expect(serviceConfigHash(web(`${BASE.replace('[network]', 'restart = "always"\n[network]')}`), SALT)).not.toBe(base);
  });

  it('keeps secrets out of the stored canonical config', () => {
    const c = canonicalServiceConfig(web(BASE), SALT);
    expect(stableStringify(c)).not.toContain('s3cret');
    expect((c.environment as Record<string, string>).API_KEY).toMatch(/^hmac-sha256:[0-9a-f]{16}$/);
  });

  it('says what changed', () => {
    const before = canonicalServiceConfig(web(BASE), SALT);
    const after = canonicalServiceConfig(web(BASE.replace('MODE = "prod"', 'MODE = "dev", NEW = "1"').replace('s3cret', 'other').replace('8080:80', '9090:80')), SALT);
    const d = diffConfigs(before, after);
    expect(d.reasons).toEqual(['env API_KEY changed', 'env MODE changed', 'env NEW added', 'ports changed']);
    expect(d.changes.find((c) => c.path === 'environment.API_KEY')).toEqual({ path: 'environment.API_KEY', before: '(sensitive)', after: '(sensitive)', sensitive: true });
    expect(JSON.stringify(d.changes)).not.toContain('sha256:');
  });
});

describe('sensitive values in the config hash', () => {
  const LEGACY_LABEL_DIGEST = 'sha256:1ec1c26b50d5d3c5';

  // The salted form is the contract for containers made from now on: same rules as the legacy golden above.
  it('is stable across surge versions (golden, salted form)', () => {
    const { project } = loadToml(BASE);
    expect(stableStringify(canonicalServiceConfig(project.services.web!, SALT))).toBe(
      '{"command":["nginx","-g","daemon off;"],"environment":{"API_KEY":"hmac-sha256:66e76bf9fee0ab6a","MODE":"prod"},"image":"nginx:1.27",' +
        '"networks":{"default":{}},"ports":[{"protocol":"tcp","published":"8080","target":"80"}],"secret_salt":"00112233445566778899aabbccddeeff"}',
    );
    expect(serviceConfigHash(project.services.web!, SALT)).toBe('b980e0ecace9221d091442c8375aef1980bf43a7aa33520de5949e23d62569cf');
    // A service without sensitive values has one form: salting changes nothing for it.
    expect(serviceConfigHash(project.services.db!, SALT)).toBe(serviceConfigHash(project.services.db!, null));
  });

  it('cannot be looked up: the digest is keyed by the project salt and the key, not a hash of the bare value', () => {
    const s = web(BASE);
    const digest = (salt: string | null, svc = s) => (canonicalServiceConfig(svc, salt).environment as Record<string, string>).API_KEY;
    expect(digest(null)).toBe(LEGACY_LABEL_DIGEST);
    expect(digest(SALT)).not.toContain(LEGACY_LABEL_DIGEST.slice('sha256:'.length));
    expect(digest(SALT)).not.toBe(digest('ffeeddccbbaa99887766554433221100'));
    const renamed = web(BASE.replace('API_KEY', 'DB_TOKEN'));
    expect((canonicalServiceConfig(renamed, SALT).environment as Record<string, string>).DB_TOKEN).not.toBe(digest(SALT));
  });

  it('new objects take the salt of the first live container, else the fresh one, else one derived from the project', () => {
    const live = (name: string, salt: string | null) => ({ name, id: name, config: salt ? { secret_salt: salt } : { environment: {} } });
    const other = 'ffeeddccbbaa99887766554433221100';
    expect(projectConfigSalt([live('p-web-1', other), live('p-db-1', SALT), live('p-api-1', null)], newConfigSalt(), 'p')).toBe(SALT);
    expect(projectConfigSalt([live('p-api-1', null)], other, 'p')).toBe(other);
    expect(projectConfigSalt([], undefined, 'p')).toBe(projectConfigSalt([], 'not-a-salt', 'p'));
    expect(projectConfigSalt([], undefined, 'p')).not.toBe(projectConfigSalt([], undefined, 'q'));
    expect(newConfigSalt()).toMatch(/^[0-9a-f]{32}$/);
  });

  /** A container as the previous surge version labelled it: legacy canonical form and hash. */
  function legacyContainer(service: Service): ObservedContainer {
    return {
      driver: 'docker', id: 'c1', name: 'p-web-1', service: service.name, replica: 1, configHash: serviceConfigHash(service, null),
      config: canonicalServiceConfig(service, null) as Record<string, unknown>, state: 'running', health: null, exitCode: null,
      imageId: null, oneoff: false, pid: null, ports: [], image: service.image, problems: [],
    };
  }

  it('an old-format label does not cause a recreate; a change recreates into the salted form', () => {
    const { project } = loadToml(BASE, { projectName: 'p' });
    const observed = { ...emptyObservedState(), containers: [legacyContainer(project.services.web!)], configSalt: SALT };
    const unchanged = plan(project, observed, { services: ['web'], noDeps: true });
    expect(unchanged.actions.filter((a) => a.kind === 'service')).toEqual([]);

    const edited = loadToml(BASE.replace('MODE = "prod"', 'MODE = "dev"'), { projectName: 'p' }).project;
    const recreate = plan(edited, observed, { services: ['web'], noDeps: true }).actions.find((a) => a.kind === 'service');
    expect(recreate).toMatchObject({ op: 'recreate', reason: 'env MODE changed', configSalt: SALT, configHash: serviceConfigHash(edited.services.web!, SALT) });
    const secret = plan(loadToml(BASE.replace('s3cret', 'other'), { projectName: 'p' }).project, observed, { services: ['web'], noDeps: true });
    expect(secret.actions.find((a) => a.kind === 'service')?.reason).toBe('env API_KEY changed');
  });

  it('a container made with another salt is compared with its own, and drivers record what the plan computed', async () => {
    const { project } = loadToml(BASE, { projectName: 'p' });
    const driver = new MemoryDriver('docker');
    const first = plan(project, { ...(await driver.observe(project)), configSalt: SALT });
    expect((await executePlan(first, { project, drivers: async () => driver, parallel: 2 })).ok).toBe(true);
    const live = await driver.observe(project);
    const web1 = live.containers.find((c) => c.service === 'web');
    expect(web1?.config?.secret_salt).toBe(SALT);
    expect(JSON.stringify(web1?.config)).not.toContain('s3cret');
    // Another machine, another fresh salt: the live salt wins, nothing changes.
    const again = plan(project, { ...live, configSalt: 'ffeeddccbbaa99887766554433221100' });
    expect(again.actions.filter((a) => a.kind === 'service')).toEqual([]);
  });
});
