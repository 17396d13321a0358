// `surge import`: for real compose files of several shapes (test/fixtures/compose/*), the Boltfile it writes loads
// to the same model as the compose files themselves, whatever the variables are (they stay variables).
import { cpSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCompose } from '../../../../src/api/import-compose.js';
import { profileNames, renderConfig, serviceHashes, serviceNames } from '../../../../src/api/config.js';
import type { Project } from '../../../../src/model/model.js';
import { loadProject } from '../../../../src/planner/load/load-project.js';
import { tempProjectDir } from '../../../fixtures/load-toml.js';

const FIXTURES = resolve(import.meta.dirname, '../../../fixtures/compose');
const fixtures = readdirSync(FIXTURES);

function model(p: Project): unknown {
  return { name: p.name, services: p.services, networks: p.networks, volumes: p.volumes };
}

function copy(fixture: string): string {
  const dir = tempProjectDir(fixture);
  cpSync(join(FIXTURES, fixture), dir, { recursive: true });
  return dir;
}

const ENVIRONMENTS: Record<string, string>[] = [{}, { TAG: '9.9', WEB_PORT: '80', POSTGRES_PASSWORD: 'other', LOG_LEVEL: 'debug', FROM_SHELL: 'sh', PG_VERSION: '15' }];

describe('surge import round trip', () => {
  it('has the promised fixtures', () => {
    expect(fixtures).toEqual(expect.arrayContaining(['webapp', 'profiles', 'extends-include', 'anchors', 'forms', 'override']));
  });

  it.each(fixtures.flatMap((f) => ENVIRONMENTS.map((env, i) => [f, i, env] as const)))('%s (environment %d): the imported Boltfile loads to the same model as the compose files', (fixture, _i, env) => {
    const dir = copy(fixture);
    const imported = importCompose({ cwd: dir, env });
    expect(imported.path).toBe(join(dir, 'Boltfile.toml'));
    writeFileSync(imported.path, imported.text);
    const fromCompose = loadProject({ files: imported.files, cwd: dir, envFiles: [], env });
    const fromBoltfile = loadProject({ files: [], cwd: dir, envFiles: [], env });
    expect(fromBoltfile.project.files).toEqual([imported.path]);
    expect(model(fromBoltfile.project)).toEqual(model(fromCompose.project));
    expect(renderConfig(fromBoltfile.project, 'json')).toBe(renderConfig(fromCompose.project, 'json'));
  });

  it.each(fixtures.filter((f) => f !== 'extends-include'))('%s: its variables stay variables, so the Boltfile follows the environment as the compose file does', (fixture) => {
    const dir = copy(fixture);
    const imported = importCompose({ cwd: dir, env: {} });
    writeFileSync(imported.path, imported.text);
    for (const env of ENVIRONMENTS) {
      const fromCompose = loadProject({ files: imported.files, cwd: dir, envFiles: [], env });
      const fromBoltfile = loadProject({ files: [], cwd: dir, envFiles: [], env });
      expect(model(fromBoltfile.project)).toEqual(model(fromCompose.project));
    }
  });

  it.each(fixtures)('%s: config --format toml of the compose project loads to the same model too', (fixture) => {
    const dir = copy(fixture);
    const fromCompose = loadProject({ files: [], cwd: dir, envFiles: [], env: ENVIRONMENTS[1] as Record<string, string> });
    writeFileSync(join(dir, 'config.toml'), renderConfig(fromCompose.project, 'toml'));
    const again = loadProject({ files: ['config.toml'], cwd: dir, envFiles: [], env: {} });
    expect(model(again.project)).toEqual(model(fromCompose.project));
  });

  it('writes an idiomatic Boltfile: tables per service, environment as a table, variables kept, comments where compose differs', () => {
    const { text } = importCompose({ cwd: copy('webapp'), env: { POSTGRES_PASSWORD: 'never-written' } });
    expect(text).toContain('# the project name (compose\'s `name`)\nproject = "shop"\n');
    expect(text).toContain('[services.web]\nimage = "shop-web:${TAG:-dev}"\n');
    expect(text).toContain('[services.db.environment]\nPOSTGRES_USER = "shop"\nPOSTGRES_PASSWORD = "${POSTGRES_PASSWORD}"\n');
    expect(text).toContain('[services.web.depends_on]\ndb = { condition = "service_healthy" }\n');
    expect(text).toContain('[volumes.db-data]\n');
    expect(text).not.toContain('never-written');
    expect(text).not.toContain('s3cret');
  });

  it('anchors and merge keys are written where they are used; extends and include are written out, with a comment', () => {
    const anchors = importCompose({ cwd: copy('anchors'), env: {} }).text;
    expect(anchors).toContain("# compose's extension fields (x-logging, x-service) are left out");
    expect(anchors).toContain('[services.orders]\nimage = "example/orders:1"\nrestart = "unless-stopped"\n');
    expect(anchors).not.toMatch(/^\[?x-/m);
    const extended = importCompose({ cwd: copy('extends-include'), env: {} }).text;
    expect(extended).toContain("# compose's `extends: node-app` (common/services.yaml): what it inherits is written out here\n[services.api]\n");
    expect(extended).toContain("# compose's `include` of ./db/compose.yaml: its resources are written out here, its variables resolved as they were at import (PG_VERSION)");
    // the included project's own variables are resolved (the Boltfile has no such scope); paths are rebased
    expect(extended).toContain('image = "postgres:16"');
    expect(extended).toContain('"./db/init:/docker-entrypoint-initdb.d:ro"');
    expect(extended).toContain('volumes = ["./common/shared-config:/etc/app:ro"]');
  });

  it('a service with a command and no image is a host process in surge: the Boltfile says so', () => {
    expect(importCompose({ cwd: copy('forms'), env: {} }).text).toContain('# no image or build: surge runs this service as a host process');
  });

  it('the compose override file is read too, and an invalid project is reported before anything is written', () => {
    const dir = copy('override');
    const { files, text } = importCompose({ cwd: dir, env: {} });
    expect(files.map((f) => f.split('/').at(-1))).toEqual(['compose.yaml', 'compose.override.yaml']);
    expect(text).toContain('imported from compose.yaml, compose.override.yaml');
    writeFileSync(join(dir, 'compose.override.yaml'), 'services:\n  web:\n    imgae: x\n');
    expect(() => importCompose({ cwd: dir, env: {} })).toThrow('compose.override.yaml:3:5: services.web.imgae: unknown key `imgae`; did you mean `image`?');
  });
});

describe('config views', () => {
  const { project } = loadProject({ files: [join(FIXTURES, 'webapp/compose.yaml')], cwd: FIXTURES, envFiles: [], env: {} });

  it('services in dependency order', () => {
    expect(serviceNames(project)).toEqual(['cache', 'db', 'web']);
  });

  it('hashes: the surge.config-hash of each service, sorted; an unknown service is an error', () => {
    const all = serviceHashes(project, '*');
    expect(all.map((h) => h.service)).toEqual(['cache', 'db', 'web']);
    expect(all.every((h) => /^[0-9a-f]{64}$/.test(h.hash))).toBe(true);
    expect(serviceHashes(project, 'web,db')).toEqual([all[1], all[2]]);
    expect(() => serviceHashes(project, 'nope')).toThrow('no such service: nope');
  });

  it('profiles: the names services use, once each, sorted', () => {
    const withProfiles = { ...project, services: { a: { ...project.services.web, profiles: ['jobs', 'debug'] }, b: { ...project.services.db, profiles: ['debug'] } } } as unknown as Project;
    expect(profileNames(withProfiles)).toEqual(['debug', 'jobs']);
  });
});
