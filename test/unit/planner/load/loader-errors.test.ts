import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, formatDiagnostic } from '../../../../src/model/errors.js';
import { loadProject } from '../../../../src/planner/load/load-project.js';
import { loadError, loadToml, tempProjectDir } from '../../../fixtures/load-toml.js';

describe('located errors', () => {
  it.each([
    ['[services.web]\nimgae = "x"', 'Boltfile.toml:2:1: services.web.imgae: unknown key `imgae`; did you mean `image`?'],
    ['servces = {}', 'Boltfile.toml:1:1: servces: unknown key `servces`; did you mean `services`?'],
    ['[services.web]\nimage = "x"\nports = "80"', 'Boltfile.toml:3:9: services.web.ports: expected array, got string "80"'],
    ['[services.web]\nimage = "x"\nprivileged = "yes"', 'Boltfile.toml:3:14: services.web.privileged: expected boolean, got string "yes"'],
    [
      '[services.a]\nimage = "x"\ndepends_on = ["b"]\n[services.b]\nimage = "x"\ndepends_on = ["c"]\n[services.c]\nimage = "x"\ndepends_on = ["a"]',
      'Boltfile.toml:3:1: services.a.depends_on: depends_on cycle: a -> b -> c -> a',
    ],
    [
      '[services.gamma]\nimage = "x"\ndepends_on = ["alpha"]\n[services.beta]\nimage = "x"\ndepends_on = ["gamma"]\n[services.alpha]\nimage = "x"\ndepends_on = ["beta"]',
      'Boltfile.toml:9:1: services.alpha.depends_on: depends_on cycle: alpha -> beta -> gamma -> alpha',
    ],
    [
      '[services.web]\nimage = "x"\ndepends_on = ["nope"]',
      'Boltfile.toml:3:15: services.web.depends_on[0]: service "web" depends on "nope", which is not a service in this project',
    ],
    ['[services.web]\nimage = "${IMG:?set IMG}"', 'Boltfile.toml:2:9: services.web.image: required variable IMG is missing a value: set IMG'],
    [
      'project = "Bad Name!"\n[services.web]\nimage = "x"',
      'Boltfile.toml:1:11: project: invalid project name "Bad Name!": use lowercase letters, digits, "_" and "-", starting with a letter or digit',
    ],
    [
      '[services.web]\nimage = "x"\nvolumes = ["data:/data"]',
      'Boltfile.toml:3:12: services.web.volumes[0]: volume "data" is not declared; add [volumes.data] or use a path like "./data" for a host folder',
    ],
    [
      '[services.web]\nimage = "x"\nhealthcheck = { test = ["CMD", "true"], interval = "soon" }',
      'Boltfile.toml:3:41: services.web.healthcheck.interval: invalid duration "soon" (write it like "30s", "500ms", "1m30s", or a number of seconds)',
    ],
    ['[services.web]\nimage = "x"\nnetworks = ["back"]', 'Boltfile.toml:3:13: services.web.networks[0]: network "back" is not declared; add [networks.back]'],
    ['[services.web\nimage = "x"', 'Boltfile.toml:1:14: invalid TOML: illegal character in key'],
    // A reference to an undeclared name suggests the closest declared one.
    [
      '[services.web]\nimage = "x"\ndepends_on = ["dbb"]\n[services.db]\nimage = "x"',
      'Boltfile.toml:3:15: services.web.depends_on[0]: service "web" depends on "dbb", which is not a service in this project; did you mean `db`?',
    ],
    [
      '[services.web]\nimage = "x"\nnetworks = ["bakc"]\n[networks.back]',
      'Boltfile.toml:3:13: services.web.networks[0]: network "bakc" is not declared; did you mean `back`?',
    ],
    [
      '[services.web]\nimage = "x"\nvolumes = ["dta:/data"]\n[volumes.data]',
      'Boltfile.toml:3:12: services.web.volumes[0]: volume "dta" is not declared; did you mean `data`?',
    ],
    // Inside a value with several accepted forms, the error is where the problem is, not "unsupported form".
    [
      '[services.web]\nimage = "x"\ndepends_on = { db = { condition = "service_healty" } }\n[services.db]\nimage = "x"',
      'Boltfile.toml:3:35: services.web.depends_on.db.condition: must be one of "service_started", "service_healthy", "service_completed_successfully"',
    ],
    ['[services.web]\nimage = "x"\nports = [{ target = 80, protocol = "icmp" }]', 'Boltfile.toml:3:36: services.web.ports[0].protocol: must be one of "tcp", "udp", "sctp"'],
    ['[services.web]\nimage = "x"\nenvironment = { A = { B = 1 } }', 'Boltfile.toml:3:21: services.web.environment.A: expected string, number or boolean, got a table'],
    ['[services.web]\nimage = "x"\ncommand = 5', 'Boltfile.toml:3:11: services.web.command: expected string or array, got number 5'],
    ['[services.web]\nimage = "x"\ngpu.nvidia = "yes"', 'Boltfile.toml:3:14: services.web.gpu.nvidia: expected boolean or table, got string "yes"'],
  ])('%j', (toml, message) => {
    expect(loadError(toml)).toBe(message);
  });

  it('no value is quoted where a name on its path looks secret', () => {
    expect(loadError('[services.web]\nimage = "x"\n[volumes.api_key_store]\ndriver = 5')).toBe('Boltfile.toml:4:10: volumes.api_key_store.driver: expected string, got a number');
    expect(loadError('[services.web]\nimage = "x"\nenvironment = ["DB PASSWORD=hunter2"]')).toBe(
      'Boltfile.toml:3:16: services.web.environment[0]: invalid environment entry: the name "DB PASSWORD" is empty or holds white space (write "KEY=value")',
    );
  });

  it('reports several errors in one file together, in file order', () => {
    expect(loadError('[services.web]\nimage = "x"\nports = ["80", "abc"]\nrestart = "sometimes"')).toBe(
      [
        'Boltfile.toml:3:16: services.web.ports[1]: invalid container port "abc" in "abc"',
        'Boltfile.toml:4:1: services.web.restart: invalid restart policy "sometimes" (no, always, unless-stopped, on-failure or on-failure:N)',
      ].join('\n'),
    );
  });

  it('an empty Boltfile loads with a warning that there is nothing to run', () => {
    const { warnings } = loadToml('# nothing yet\n');
    expect(warnings.map(formatDiagnostic)).toEqual(['Boltfile.toml:1:1: warning: services: no services are declared: there is nothing to run']);
  });

  it('schema errors and the later checks come in the same run, without follow-on errors from what was refused', () => {
    const toml = [
      '[services.web]',
      'imgae = "nginx"',
      'image = "x"',
      'cap_add = "NET_ADMIN"',
      'ports = ["abc"]',
      'devices = [1, "/dev/x:/dev/y:bad"]',
      'depends_on = ["dbb"]',
      '[services.web.healthcheck]',
      'test = "true"',
      'interval = "5x"',
      '[services.db]',
      'image = "y"',
    ].join('\n');
    expect(loadError(toml)).toBe(
      [
        'Boltfile.toml:2:1: services.web.imgae: unknown key `imgae`; did you mean `image`?',
        'Boltfile.toml:4:11: services.web.cap_add: expected array, got string "NET_ADMIN"',
        'Boltfile.toml:5:10: services.web.ports[0]: invalid container port "abc" in "abc"',
        'Boltfile.toml:6:12: services.web.devices[0]: expected string or table, got number 1',
        'Boltfile.toml:7:15: services.web.depends_on[0]: service "web" depends on "dbb", which is not a service in this project; did you mean `db`?',
        'Boltfile.toml:10:1: services.web.healthcheck.interval: invalid duration "5x" (write it like "30s", "500ms", "1m30s", or a number of seconds)',
      ].join('\n'),
    );
  });

  it('schema errors are reported together too', () => {
    let error: unknown;
    try {
      loadToml('[services.web]\nimgae = "x"\nprivileged = 1\n[services.db]\nportz = []');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).diagnostics.map(formatDiagnostic)).toEqual([
      'Boltfile.toml:2:1: services.web.imgae: unknown key `imgae`; did you mean `image`?',
      'Boltfile.toml:3:14: services.web.privileged: expected boolean, got number 1',
      'Boltfile.toml:5:1: services.db.portz: unknown key `portz`; did you mean `ports`?',
    ]);
  });

  it('an error in an override file names that file', () => {
    const dir = tempProjectDir();
    writeFileSync(join(dir, 'Boltfile.toml'), '[services.web]\nimage = "x"\n');
    writeFileSync(join(dir, 'prod.toml'), '# prod\n[services.web]\nports = ["nope"]\n');
    expect(() => loadProject({ files: ['Boltfile.toml', 'prod.toml'], cwd: dir, envFiles: [], env: {} })).toThrow(
      'prod.toml:3:10: services.web.ports[0]: invalid container port "nope" in "nope"',
    );
  });

  it('says what to do when there is no Boltfile', () => {
    const dir = tempProjectDir();
    expect(() => loadProject({ files: [], cwd: dir, envFiles: [], env: {} })).toThrow(`no Boltfile.toml, surge.toml or compose.yaml in ${dir}: create one, or name it with -f FILE`);
  });
});

describe('warnings', () => {
  it('Bolt-ecosystem keys warn once each; x- keys are silent', () => {
    const { warnings } = loadToml('[services.web]\nimage = "x"\ncapsule = "y"\nx-note = 1\ngaming_config = {}\n[quic_fabric]\nenabled = true\n[x-defaults]\na = 1');
    expect(warnings.map(formatDiagnostic)).toEqual([
      'Boltfile.toml:3:1: warning: services.web.capsule: not applied by surge (Bolt runtime setting)',
      'Boltfile.toml:5:1: warning: services.web.gaming_config: not applied by surge (Bolt runtime setting)',
      'Boltfile.toml:6:2: warning: quic_fabric: not applied by surge (Bolt runtime setting)',
    ]);
  });

  it('Bolt-ecosystem keys warn at service level too', () => {
    const { warnings } = loadToml('[services.web]\nimage = "x"\nauth = { user = "u" }\nobservability = { metrics = true }\nsettings = {}\ndns_config = {}\nquic_fabric = {}');
    expect(warnings.map((w) => w.path)).toEqual(['services.web.auth', 'services.web.observability', 'services.web.settings', 'services.web.dns_config', 'services.web.quic_fabric']);
  });

  it('an unset variable becomes an empty string with one located warning per variable, like compose', () => {
    const { project, warnings } = loadToml('[services.web]\nimage = "x${TAGG}"\nenvironment = { A = "$TAGG", B = "${OTHER}", C = "${D:-}", E = "${SET}" }', { env: { SET: '1' } });
    expect(project.services.web?.image).toBe('x');
    expect(warnings.map(formatDiagnostic)).toEqual([
      'Boltfile.toml:2:9: warning: services.web.image: variable TAGG is not set; using an empty string',
      'Boltfile.toml:3:34: warning: services.web.environment.B: variable OTHER is not set; using an empty string',
    ]);
  });

  it('container-only settings on a host process are located warnings, not silently dropped', () => {
    const { warnings } = loadToml('[services.job]\ncommand = "id"\nuser = "nobody"\nports = ["8080:80"]\n[services.web]\nimage = "x"\nuser = "nobody"');
    expect(warnings.map(formatDiagnostic)).toEqual([
      'Boltfile.toml:3:1: warning: services.job.user: service "job" is a host process: `user` does not apply to it',
      'Boltfile.toml:4:1: warning: services.job.ports: service "job" is a host process: `ports` does not apply to it',
    ]);
  });

  it('a capsule-only service loads with a warning that surge cannot run it', () => {
    const { warnings } = loadToml('[services.db]\ncapsule = "postgres"');
    expect(warnings.map((w) => w.message)).toContain('warning: services.db: service "db" has no image or build, so surge cannot run it (`capsule` is Bolt\'s own format)');
  });

  it('x- keys in labels are the user\'s labels, kept', () => {
    const { project } = loadToml('[services.web]\nimage = "x"\nlabels = { "x-team" = "core" }');
    expect(project.services.web?.labels).toEqual({ 'x-team': 'core' });
  });
});

describe('files, names and variables', () => {
  it('prefers Boltfile.toml, else surge.toml', () => {
    const dir = tempProjectDir('MyApp.v2');
    writeFileSync(join(dir, 'surge.toml'), '[services.web]\nimage = "x"\n');
    const { project } = loadProject({ files: [], cwd: dir, envFiles: [], env: {} });
    expect(project.files).toEqual([join(dir, 'surge.toml')]);
    expect(project.name).toBe('myappv2');
  });

  it.each([
    ['project = "Shop"\n[metadata]\nname = "other"', 'shop'],
    ['[project]\nname = "from-table"', 'from-table'],
    ['[metadata]\nname = "meta_name"', 'meta_name'],
  ])('project name from %j', (head, name) => {
    expect(loadToml(`${head}\n[services.web]\nimage = "x"`).project.name).toBe(name);
  });

  it('-p wins and must be valid', () => {
    expect(loadToml('project = "a"\n[services.web]\nimage = "x"', { projectName: 'CLI' }).project.name).toBe('cli');
    expect(loadError('[services.web]\nimage = "x"', { projectName: 'no way' })).toContain('invalid project name "no way" (-p)');
  });

  it('override files merge key by key; relative paths resolve against the first file', () => {
    const { project, dir } = loadToml('[services.web]\nimage = "x"\nenvironment = { A = "1", B = "1" }\nvolumes = ["./a:/a"]', {
      files: { 'sub/override.toml': '[services.web]\nimage = "y"\nenvironment = { B = "2" }\nvolumes = ["./b:/b"]\n[services.extra]\nimage = "z"' },
      load: ['Boltfile.toml', 'sub/override.toml'],
    });
    expect(project.services.web).toMatchObject({ image: 'y', environment: { A: '1', B: '2' } });
    expect(project.services.web?.volumes).toEqual([
      { type: 'bind', source: join(dir, 'a'), target: '/a', read_only: false },
      { type: 'bind', source: join(dir, 'b'), target: '/b', read_only: false },
    ]);
    expect(Object.keys(project.services).sort()).toEqual(['extra', 'web']);
  });

  it('override files add to ports-like lists and merge volumes and devices by container path, as compose does (the later mount in the place of the earlier)', () => {
    const base = '[services.web]\nimage = "x"\nports = ["80:80"]\ncap_add = ["NET_ADMIN"]\nvolumes = ["data:/data", "./conf:/etc/app:ro"]\ndevices = ["/dev/a:/dev/x"]\n[volumes.data]\n[volumes.other]';
    const override = '[services.web]\nports = ["81:81", "80:80"]\ncap_add = ["SYS_TIME"]\nvolumes = [{ type = "volume", source = "other", target = "/data" }]\ndevices = ["/dev/b:/dev/x"]';
    const { project, dir } = loadToml(base, { files: { 'o.toml': override }, load: ['Boltfile.toml', 'o.toml'] });
    const web = project.services.web;
    expect(web?.ports.map((p) => `${p.published}:${p.target}`)).toEqual(['80:80', '81:81']);
    expect(web?.cap_add).toEqual(['NET_ADMIN', 'SYS_TIME']);
    expect(web?.volumes).toEqual([
      { type: 'volume', source: 'other', target: '/data', read_only: false },
      { type: 'bind', source: join(dir, 'conf'), target: '/etc/app', read_only: true },
    ]);
    expect(web?.devices.map((d) => d.source)).toEqual(['/dev/b']);
  });

  it('override files merge mappings entry by entry, whatever form each file writes them in', () => {
    const base = [
      '[services.web]',
      'image = "x"',
      'environment = ["A=1", "B=1", "SHELL_VAR"]',
      'labels = ["l1=a"]',
      'depends_on = ["db"]',
      'networks = ["front"]',
      'build = { context = ".", args = ["V=1"] }',
      '[services.db]',
      'image = "x"',
      'env = { D = "1" }',
      '[services.cache]',
      'image = "x"',
      '[networks.front]',
      '[networks.back]',
    ].join('\n');
    const override = [
      '[services.web]',
      'environment = { B = "2" }',
      'labels = { l2 = "b" }',
      'depends_on = { cache = { condition = "service_started" } }',
      'networks = { back = { aliases = ["w"] } }',
      'build.args = { W = "2" }',
      '[services.db]',
      'environment = ["D=2"]',
    ].join('\n');
    const { project } = loadToml(base, { files: { 'override.toml': override }, load: ['Boltfile.toml', 'override.toml'], env: { SHELL_VAR: 'sh' } });
    const web = project.services.web;
    expect(web?.environment).toEqual({ A: '1', B: '2', SHELL_VAR: 'sh' });
    expect(web?.labels).toEqual({ l1: 'a', l2: 'b' });
    expect(Object.keys(web?.depends_on ?? {}).sort()).toEqual(['cache', 'db']);
    expect(web?.networks).toEqual({ front: { aliases: [] }, back: { aliases: ['w'] } });
    expect(web?.build?.args).toEqual({ V: '1', W: '2' });
    expect(project.services.db?.environment).toEqual({ D: '2' });
  });

  it('an entry of a list-form mapping merged with a table is still located in its own file', () => {
    const base = '[services.web]\nimage = "x"\ndepends_on = ["dbb"]\n[services.db]\nimage = "x"';
    const override = '[services.web]\ndepends_on = { db = { condition = "service_started" } }';
    expect(loadError(base, { files: { 'o.toml': override }, load: ['Boltfile.toml', 'o.toml'] })).toBe(
      'Boltfile.toml:3:15: services.web.depends_on.dbb: service "web" depends on "dbb", which is not a service in this project; did you mean `db`?',
    );
  });

  it('variables: the process environment first, then --env-file, which replaces .env (compose-go cli/options.go)', () => {
    const toml = '[services.web]\nimage = "${IMG}"\nenvironment = { A = "${A}", B = "${B}", C = "${C:-none}", D = "$${literal}" }';
    const files = { '.env': 'A=dotenv\nB=dotenv\nIMG=dotenv-img', 'extra.env': 'B=extra\nC=extra' };
    const withEnvFile = loadToml(toml, { env: { IMG: 'from-shell', A: 'shell' }, files, envFiles: ['extra.env'] }).project;
    expect(withEnvFile.services.web?.image).toBe('from-shell');
    expect(withEnvFile.services.web?.environment).toEqual({ A: 'shell', B: 'extra', C: 'extra', D: '${literal}' });
    const withDotenv = loadToml(toml, { env: { IMG: 'from-shell', A: 'shell' }, files }).project;
    expect(withDotenv.services.web?.environment).toEqual({ A: 'shell', B: 'dotenv', C: 'none', D: '${literal}' });
  });

  it('a missing --env-file is an error', () => {
    expect(loadError('[services.web]\nimage = "x"', { envFiles: ['nope.env'] })).toBe('nope.env: env file not found');
  });
});
