// compose's profiles, decided as compose-go decides them (loader/tests/profiles_test.go, the compose-spec example,
// docker compose's e2e profile tests): what is in the project, what is an error, and what is never an orphan.
import { describe, expect, it } from 'vitest';
import { plan as planUp } from '../../../../src/planner/plan-up.js';
import { emptyObservedState } from '../../../../src/model/observed.js';
import { loadProject } from '../../../../src/planner/load/load-project.js';
import { loadError, loadToml, tempProjectDir } from '../../../fixtures/load-toml.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SPEC = `[services.web]
image = "web_image"
[services.test_lib]
image = "test_lib_image"
profiles = ["test"]
[services.coverage_lib]
image = "coverage_lib_image"
depends_on = ["test_lib"]
profiles = ["test"]
[services.debug_lib]
image = "debug_lib_image"
depends_on = ["test_lib"]
profiles = ["debug"]
`;

const names = (toml: string, env: Record<string, string> = {}, profiles?: string[], services?: string[]) => {
  const dir = tempProjectDir();
  writeFileSync(join(dir, 'Boltfile.toml'), toml);
  const { project } = loadProject({ files: [], cwd: dir, envFiles: [], env, profiles, services });
  return { enabled: Object.keys(project.services).sort(), disabled: project.disabled_services, active: project.profiles };
};

describe('profiles', () => {
  it('compose-go: a service with profiles is left out until one is active', () => {
    const yaml = '[services.foo]\nimage = "alpine"\nprofiles = ["debug", "dev"]\n[services.bar]\nimage = "alpine"';
    expect(names(yaml)).toEqual({ enabled: ['bar'], disabled: ['foo'], active: [] });
    expect(names(yaml, {}, ['debug']).enabled).toEqual(['bar', 'foo']);
    expect(names(yaml, {}, ['*']).enabled).toEqual(['bar', 'foo']);
  });

  it('the compose-spec example: no profile, test, and debug (whose dependency is left out: an error)', () => {
    expect(names(SPEC).enabled).toEqual(['web']);
    expect(names(SPEC, {}, ['test']).enabled).toEqual(['coverage_lib', 'test_lib', 'web']);
    const dir = tempProjectDir();
    writeFileSync(join(dir, 'Boltfile.toml'), SPEC);
    expect(() => loadProject({ files: [], cwd: dir, envFiles: [], env: {}, profiles: ['debug'] })).toThrow(
      /services\.debug_lib\.depends_on\[0\]: service "debug_lib" depends on "test_lib", which is not enabled by the active profiles \(it is in "test"; activate one with --profile or COMPOSE_PROFILES\)/,
    );
  });

  it('a service named on the command line activates its profiles, and only those', () => {
    expect(names(SPEC, {}, [], ['coverage_lib'])).toEqual({ enabled: ['coverage_lib', 'test_lib', 'web'], disabled: ['debug_lib'], active: ['test'] });
  });

  it('an optional dependency on a left-out service is dropped, as compose-go drops it', () => {
    const { project } = loadToml('[services.app]\nimage = "x"\ndepends_on = { tools = { condition = "service_started", required = false } }\n[services.tools]\nimage = "x"\nprofiles = ["tools"]');
    expect(project.services.app?.depends_on).toEqual({});
  });

  it('COMPOSE_PROFILES and SURGE_PROFILES, from the environment or .env; --profile replaces them', () => {
    const toml = '[services.a]\nimage = "x"\nprofiles = ["one"]\n[services.b]\nimage = "x"\nprofiles = ["two"]\n[services.c]\nimage = "x"\nprofiles = ["three"]';
    expect(names(toml, { COMPOSE_PROFILES: 'one, two' }).enabled).toEqual(['a', 'b']);
    expect(names(toml, { COMPOSE_PROFILES: 'one', SURGE_PROFILES: 'three' }).enabled).toEqual(['a', 'c']);
    expect(names(toml, { COMPOSE_PROFILES: 'one' }, ['three']).enabled).toEqual(['c']);
    const { project } = loadToml(toml, { files: { '.env': 'COMPOSE_PROFILES=two\n' } });
    expect(Object.keys(project.services)).toEqual(['b']);
  });

  it('profile names follow compose\'s rule', () => {
    expect(loadError('[services.a]\nimage = "x"\nprofiles = ["-bad"]')).toMatch(/invalid profile name "-bad"/);
  });

  it('the containers of a left-out service are not orphans', () => {
    const { project } = loadToml('project = "p"\n[services.a]\nimage = "x"\n[services.b]\nimage = "x"\nprofiles = ["extra"]');
    const observed = emptyObservedState();
    observed.images.x = 'sha256:1';
    observed.containers.push({
      driver: 'docker', id: 'c1', name: 'p-b-1', service: 'b', replica: 1, configHash: 'h', config: null, state: 'running', health: null, exitCode: null,
      imageId: 'sha256:1', oneoff: false, pid: null, ports: [], image: 'x', volumes: [], problems: [],
    });
    const plan = planUp(project, observed, { removeOrphans: true });
    expect(plan.actions.filter((a) => a.reason === 'orphan')).toEqual([]);
    expect(plan.notices.join('\n')).not.toMatch(/orphan/);
  });
});
