// Compose files through the built CLI, engine-free: validate and config read them, import writes a Boltfile, and
// config's formats and lists. (`npm run build` first; no container engine is touched.)
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, Stack } from './cli.js';

const NO_ENGINE = { DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
const FIXTURES = resolve(import.meta.dirname, '../fixtures/compose');

function fixture(name: string): Stack {
  const s = new Stack('cmp');
  cpSync(join(FIXTURES, name), s.dir, { recursive: true });
  return s;
}

const surge = (s: Stack, ...args: string[]) => run(args, s.dir, NO_ENGINE);

describe('compose files in the CLI', () => {
  it('-f docker-compose.yml validates; errors are located with did-you-mean', async () => {
    const s = new Stack('cmp');
    s.file('docker-compose.yml', 'version: "3"\nservices:\n  web:\n    image: nginx\n');
    const ok = await surge(s, '-f', 'docker-compose.yml', 'validate');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toContain('docker-compose.yml:1:1: warning: version: the attribute `version` is obsolete');
    s.file('docker-compose.yml', 'services:\n  web:\n    imgae: nginx\n    ports: "80"\n');
    const bad = await surge(s, '-f', 'docker-compose.yml', 'validate');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      'docker-compose.yml:3:5: services.web.imgae: unknown key `imgae`; did you mean `image`?\n' +
        'docker-compose.yml:4:12: services.web.ports: expected array, got string "80"\n2 errors.\n',
    );
  });

  it('without -f, compose.yaml and compose.override.yaml are found when there is no Boltfile', async () => {
    const s = fixture('override');
    const r = await surge(s, 'validate');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(`${join(s.dir, 'compose.yaml')}, ${join(s.dir, 'compose.override.yaml')}: valid (project ${s.name}, 1 service)\n`);
    const cfg = JSON.parse((await surge(s, 'config')).stdout) as { services: { web: { environment: Record<string, string> } } };
    expect(cfg.services.web.environment).toEqual({ MODE: 'dev', DEBUG: '1' });
  });

  it('import writes Boltfile.toml beside the compose file; config of both is the same; an existing file is kept', async () => {
    const s = fixture('webapp');
    const before = await surge(s, 'config');
    expect(before.code, before.stderr).toBe(0);
    const imported = await surge(s, 'import');
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toBe('wrote Boltfile.toml from compose.yaml (3 services)\n');
    expect(readFileSync(join(s.dir, 'Boltfile.toml'), 'utf8')).toContain('[services.web]\n');
    const after = await surge(s, 'config');
    expect(after.stdout).toBe(before.stdout);
    const again = await surge(s, 'import');
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('surge: Boltfile.toml already exists: pass --force to replace it, or -o another file\n');
    expect((await surge(s, 'import', 'compose.yaml', '--force')).code).toBe(0);
    const stdout = await surge(s, 'import', '-o', '-');
    expect(stdout.stdout).toBe(readFileSync(join(s.dir, 'Boltfile.toml'), 'utf8'));
  });

  it('import of an invalid compose file writes nothing', async () => {
    const s = new Stack('cmp');
    s.file('compose.yaml', 'services:\n  web:\n    image: x\n    restart: sometimes\n');
    const r = await surge(s, 'import');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('compose.yaml:4:5: services.web.restart: invalid restart policy "sometimes" (no, always, unless-stopped, on-failure or on-failure:N)\n');
    expect((await surge(s, 'validate')).code).toBe(1);
  });
});

describe('surge config', () => {
  it('--format toml writes a Boltfile that validates and loads to the same model', async () => {
    const s = new Stack('cfg');
    s.write('[volumes.data]\n[services.web]\nimage = "nginx"\nports = ["8080:80"]\nvolumes = ["data:/data:ro"]\nhealthcheck = { test = ["CMD", "true"], interval = "1s" }\ncommand = ["sh", "-c", "echo $$HOME"]\n[services.job]\ncommand = "echo hi"\n');
    const json = await surge(s, 'config');
    const toml = await surge(s, 'config', '--format', 'toml');
    expect(toml.code, toml.stderr).toBe(0);
    expect(toml.stdout).toContain('command = ["sh", "-c", "echo $$HOME"]');
    writeFileSync(join(s.dir, 'written.toml'), toml.stdout);
    const valid = await surge(s, '-f', 'written.toml', 'validate');
    expect(valid.code, valid.stderr).toBe(0);
    expect((await surge(s, '-f', 'written.toml', 'config')).stdout).toBe(json.stdout);
  });

  it('--format yaml prints the compose shape, which reads back as a compose file', async () => {
    const s = fixture('anchors');
    const yaml = await surge(s, 'config', '--format', 'yaml');
    expect(yaml.code, yaml.stderr).toBe(0);
    expect(yaml.stdout).toContain(`name: ${s.name}\nservices:\n  billing:\n`);
    expect(yaml.stdout).toContain('    healthcheck:\n      test:\n        - CMD\n        - "true"\n      interval: 10s\n');
    expect(yaml.stdout).toContain(`networks:\n  default:\n    name: ${s.name}_default\n`);
    writeFileSync(join(s.dir, 'printed.yaml'), yaml.stdout);
    // the same model (compose's output sorts services by name)
    expect(JSON.parse((await surge(s, '-f', 'printed.yaml', 'config')).stdout)).toEqual(JSON.parse((await surge(s, 'config')).stdout));
  });

  it('--services, --volumes, --images, --hash, --profiles print one per line', async () => {
    const s = fixture('webapp');
    expect((await surge(s, 'config', '--services')).stdout).toBe('cache\ndb\nweb\n');
    expect((await surge(s, 'config', '--volumes')).stdout).toBe('db-data\ncache-data\n');
    expect((await surge(s, 'config', '--images')).stdout).toBe('shop-web:1.4.2\npostgres:16-alpine\nredis:7-alpine\n');
    const hashes = (await surge(s, 'config', '--hash', '*')).stdout.trim().split('\n');
    expect(hashes.map((l) => l.split(' ')[0])).toEqual(['cache', 'db', 'web']);
    expect((await surge(s, 'config', '--hash', 'web')).stdout).toBe(`${hashes[2]}\n`);
    const unknown = await surge(s, 'config', '--hash', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('surge: no such service: nope (services: cache, db, web)\n');
    const profiles = await surge(s, 'config', '--profiles');
    expect(profiles.code).toBe(0);
  });
});
