// Compose files as surge reads them: found by compose's names, in compose's YAML, with errors located like TOML's.
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../../../src/model/errors.js';
import { loadFiles, loadFilesError } from '../../../fixtures/load-files.js';

const WEB = 'services:\n  web:\n    image: nginx:1.27\n';

describe('finding compose files', () => {
  it.each([
    [['compose.yaml'], ['compose.yaml']],
    [['docker-compose.yml'], ['docker-compose.yml']],
    [['docker-compose.yaml', 'compose.yml'], ['compose.yml']],
    [['compose.yaml', 'compose.override.yaml'], ['compose.yaml', 'compose.override.yaml']],
    [['docker-compose.yml', 'docker-compose.override.yml'], ['docker-compose.yml', 'docker-compose.override.yml']],
    // compose takes the first override file by its own order, whichever main file it found
    [['docker-compose.yml', 'compose.override.yml', 'docker-compose.override.yaml'], ['docker-compose.yml', 'compose.override.yml']],
    // a Boltfile in the folder wins: it is surge's own file
    [['Boltfile.toml', 'compose.yaml'], ['Boltfile.toml']],
    [['surge.toml', 'docker-compose.yml'], ['surge.toml']],
  ])('%j → reads %j, and says so', (present, used) => {
    const files = Object.fromEntries(present.map((f) => [f, f.endsWith('.toml') ? '[services.web]\nimage = "x"\n' : WEB]));
    const { discovered, project } = loadFiles(files);
    expect(discovered).toEqual(used);
    expect(project.files.map((f) => f.split('/').at(-1))).toEqual(used);
  });

  it('says which file it used when there are several, as compose does', () => {
    const { warnings } = loadFiles({ 'compose.yaml': WEB, 'docker-compose.yml': WEB });
    expect(warnings.map(formatDiagnostic)).toEqual(['warning: found several compose files (compose.yaml, docker-compose.yml); using compose.yaml']);
  });

  it('-f names a compose file; discovered is null then', () => {
    const { discovered, project } = loadFiles({ 'stack.yml': WEB }, { load: ['stack.yml'] });
    expect(discovered).toBeNull();
    expect(project.services.web?.image).toBe('nginx:1.27');
  });

  it('the override file merges over the compose file', () => {
    const { project } = loadFiles({
      'compose.yaml': 'services:\n  web:\n    image: nginx\n    ports: ["80:80"]\n    environment: {A: "1"}\n',
      'compose.override.yaml': 'services:\n  web:\n    ports: ["8443:443"]\n    environment: [B=2]\n',
    });
    expect(project.services.web?.ports.map((p) => `${p.published}:${p.target}`)).toEqual(['80:80', '8443:443']);
    expect(project.services.web?.environment).toEqual({ A: '1', B: '2' });
  });

  it('a compose file and a Boltfile combine with several -f, in order', () => {
    const { project } = loadFiles(
      { 'compose.yaml': 'services:\n  web:\n    image: nginx\n    environment:\n      MODE: dev\n', 'prod.toml': '[services.web]\nenv.MODE = "prod"\nreplicas = 2\n' },
      { load: ['compose.yaml', 'prod.toml'] },
    );
    expect(project.services.web).toMatchObject({ image: 'nginx', environment: { MODE: 'prod' }, replicas: 2 });
  });
});

describe('compose documents', () => {
  it('name is the project name; version is obsolete (a warning at the key); x- keys are ignored at any level', () => {
    const text = [
      'version: "3.8"',
      'name: shop',
      'x-common: &common',
      '  restart: always',
      'services:',
      '  web:',
      '    <<: *common',
      '    image: nginx',
      '    x-note: hi',
      '    ports:',
      '      - target: 80',
      '        x-port: yes',
      '    build:',
      '      context: .',
      '      x-b: 1',
      'networks:',
      '  front:',
      '    x-n: 1',
      '',
    ].join('\n');
    const { project, warnings } = loadFiles({ 'compose.yaml': text });
    expect(project.name).toBe('shop');
    expect(project.services.web).toMatchObject({ restart: 'always', image: 'nginx', ports: [{ target: '80', published: null }] });
    expect(warnings.map(formatDiagnostic)).toEqual([
      'compose.yaml:1:1: warning: version: the attribute `version` is obsolete, it will be ignored, please remove it to avoid potential confusion',
    ]);
  });

  it('-p still wins over name', () => {
    expect(loadFiles({ 'compose.yaml': `name: shop\n${WEB}` }, { projectName: 'other' }).project.name).toBe('other');
  });

  it('YAML 1.1 booleans are strings, except where compose casts to a boolean (with its warning)', () => {
    const { project, warnings } = loadFiles({ 'compose.yaml': 'services:\n  web:\n    image: x\n    privileged: yes\n    read_only: "false"\n    environment:\n      DEBUG: yes\n      LEVEL: 0440\n      ON: on\n' });
    expect(project.services.web).toMatchObject({ privileged: true, read_only: false, environment: { DEBUG: 'yes', LEVEL: '288', ON: 'on' } });
    expect(warnings.map(formatDiagnostic)).toEqual(['compose.yaml:4:17: warning: services.web.privileged: "yes" for boolean is not supported by YAML 1.2, please use `true`']);
  });

  it('a variable becomes a number or a boolean where compose expects one', () => {
    const { project } = loadFiles({ 'compose.yaml': 'services:\n  web:\n    image: x\n    privileged: ${PRIV}\n    ports:\n      - target: ${PORT}\n    healthcheck:\n      test: ["CMD", "true"]\n      retries: "${RETRIES:-3}"\n' }, { env: { PRIV: 'true', PORT: '80' } });
    expect(project.services.web).toMatchObject({ privileged: true, ports: [{ target: '80' }], healthcheck: { retries: 3 } });
    expect(loadFilesError({ 'compose.yaml': 'services:\n  web:\n    image: x\n    privileged: maybe\n' })).toBe(
      // compose-go quotes the value; surge never prints a value (it could be a secret's)
      'compose.yaml:4:17: services.web.privileged: expected a boolean (true or false)',
    );
  });

  it('compose forms: KEY with no value takes the shell\'s, resources and service networks declared with no value, labels with none', () => {
    const text = [
      'services:',
      '  web:',
      '    image: x',
      '    environment:',
      '      SET: "1"',
      '      FROM_SHELL:',
      '      UNSET:',
      '    labels:',
      '      empty:',
      '    networks:',
      '      front:',
      '    extra_hosts:',
      '      db: ["10.0.0.1", "10.0.0.2"]',
      '    volumes: ["data:/data"]',
      'networks:',
      '  front:',
      'volumes:',
      '  data:',
      '  old:',
      '    external:',
      '      name: legacy',
      '',
    ].join('\n');
    const { project, warnings } = loadFiles({ 'compose.yaml': text }, { env: { FROM_SHELL: 'sh' } });
    expect(project.services.web).toMatchObject({
      environment: { SET: '1', FROM_SHELL: 'sh' },
      labels: { empty: '' },
      networks: { front: { aliases: [] } },
      extra_hosts: ['db:10.0.0.1', 'db:10.0.0.2'],
    });
    expect(project.volumes.old).toMatchObject({ external: true, external_name: 'legacy' });
    expect(warnings.map(formatDiagnostic)).toContain('compose.yaml:20:5: warning: volumes.old.external: `external: { name }` is deprecated: write `external: true` and `name`');
  });

  it('every document of a stream merges in order', () => {
    const { project } = loadFiles({ 'compose.yaml': `${WEB}---\nservices:\n  web:\n    command: ["echo", "hi"]\n` });
    expect(project.services.web).toMatchObject({ image: 'nginx:1.27', command: ['echo', 'hi'] });
  });

  it('!reset removes and !override replaces what an earlier file set', () => {
    const { project } = loadFiles(
      {
        'compose.yaml': 'services:\n  web:\n    image: x\n    command: ["a"]\n    ports: ["80:80"]\n    environment: {A: "1", B: "1"}\n',
        'compose.override.yaml': 'services:\n  web:\n    command: !reset\n    ports: !override ["81:81"]\n    environment: !override {C: "1"}\n',
      },
    );
    expect(project.services.web).toMatchObject({ command: null, environment: { C: '1' } });
    expect(project.services.web?.ports.map((p) => p.target)).toEqual(['81']);
  });
});

describe('located errors in compose files', () => {
  it.each([
    ['services:\n  web:\n    imgae: nginx\n', 'compose.yaml:3:5: services.web.imgae: unknown key `imgae`; did you mean `image`?'],
    ['servics:\n  web:\n    image: x\n', 'compose.yaml:1:1: servics: unknown key `servics`; did you mean `services`?'],
    ['services:\n  web:\n    image: x\n    ports: "80"\n', 'compose.yaml:4:12: services.web.ports: expected array, got string "80"'],
    ['services:\n  web:\n    image: x\n    depends_on: [dbb]\n  db:\n    image: x\n', 'compose.yaml:4:18: services.web.depends_on[0]: service "web" depends on "dbb", which is not a service in this project; did you mean `db`?'],
    ['services:\n  web:\n    image: x\n    ports:\n      - "80"\n      - "abc"\n', 'compose.yaml:6:9: services.web.ports[1]: invalid container port "abc" in "abc"'],
    ['services:\n  web:\n    image: x\n    environment:\n      A: ${NOPE:?set NOPE}\n', 'compose.yaml:5:10: services.web.environment.A: required variable NOPE is missing a value: set NOPE'],
    // inside an anchor: the error is where the text is, the path says which service
    ['x-base: &base\n  image: x\n  restat: always\nservices:\n  web:\n    <<: *base\n', 'compose.yaml:3:3: services.web.restat: unknown key `restat`; did you mean `restart`?'],
    ['x-env: &env\n  A: [1]\nservices:\n  web:\n    image: x\n    environment: *env\n', 'compose.yaml:2:6: services.web.environment.A: expected string, number or boolean, got an array'],
    // an alias value is located at the alias
    ['x-img: &img 5\nservices:\n  web:\n    image: *img\n', 'compose.yaml:4:12: services.web.image: expected string, got number 5'],
    ['services:\n  web:\n    image: x\n    healthcheck:\n      test: ["CMD", "true"]\n      interval: soon\n', 'compose.yaml:6:7: services.web.healthcheck.interval: invalid duration "soon" (write it like "30s", "500ms", "1m30s", or a number of seconds)'],
  ])('%j', (yaml, message) => {
    expect(loadFilesError({ 'compose.yaml': yaml })).toBe(message);
  });

  it('an error in a later -f file is located in that file', () => {
    expect(loadFilesError({ 'compose.yaml': WEB, 'compose.override.yaml': 'services:\n  web:\n    restart: sometimes\n' })).toBe(
      'compose.override.yaml:3:5: services.web.restart: invalid restart policy "sometimes" (no, always, unless-stopped, on-failure or on-failure:N)',
    );
  });

  it('a YAML syntax error', () => {
    expect(loadFilesError({ 'docker-compose.yml': 'services:\n  web:\n    image: x\n   bad: 1\n' })).toBe('docker-compose.yml:4:1: invalid YAML: All mapping items must start at the same column');
  });
});
