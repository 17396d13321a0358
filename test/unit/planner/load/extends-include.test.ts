// `extends` and `include`, with the cases of compose-go's loader/extends_test.go, include_test.go, override_test.go,
// merge_reset_test.go and loader_test.go ported (their testdata files written inline).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../../../src/model/errors.js';
import { loadProject, loadRawDocument } from '../../../../src/planner/load/load-project.js';
import { loadFiles, loadFilesError, writeFiles } from '../../../fixtures/load-files.js';

/** compose-go's loader/testdata files (`container_name`, which surge does not read yet, is `hostname` here) */
const EXTENDS_TESTDATA = {
  'testdata/extends/base.yaml': [
    'services:',
    '  base:',
    '    image: base',
    '  another:',
    '    extends: base',
    '  with-port:',
    '    ports:',
    '      - 8000:8000',
    '  with-build:',
    '    extends:',
    '      file: sibling.yaml',
    '      service: test',
    '  nil: #left intentionally empty',
    '',
  ].join('\n'),
  'testdata/extends/sibling.yaml': 'services:\n  test:\n    build: .\n',
  'testdata/extends/nested.yaml': 'services:\n  with-build:\n    extends:\n      file: sibling.yaml\n      service: test\n',
  'testdata/extends/ports.yaml': 'services:\n  test:\n    image: test\n    ports:\n      - 8080:8080\n',
  'testdata/extends/reset.yaml': 'services:\n  init:\n    image: alpine:latest\n    command: "sleep infinity"\n  base:\n    extends: { service: init }\n    command: !reset\n',
  'testdata/extends/interpolated.yaml': 'services:\n  foo:\n    image: bash\n    volumes:\n      - ${SOURCE:-/dev/null}:/tmp/foo:ro\n',
  'testdata/extends/depends_on.yaml': 'services:\n  with_depends_on:\n    image: foo\n    depends_on:\n      - zot\n  zot:\n    image: hidden\n',
  'testdata/subdir/compose-test-extends-imported.yaml':
    'services:\n  imported:\n    image: nginx\n    hostname: ${SOURCE:-imported}\n    env_file:\n      - ./extra.env # relative to this file, not the extending one\n    volumes:\n      - /opt/data:/var/lib/mysql\n',
  'testdata/subdir/extra.env': 'SOURCE=extends\n',
  'testdata/compose-include.yaml': 'include:\n    - path: ./subdir/compose-test-extends-imported.yaml\n\nservices:\n  bar:\n    image: bar\n    environment:\n      - FOO=BAR\n',
};

function compose(main: string, extra: Record<string, string> = {}, env: Record<string, string> = {}): ReturnType<typeof loadFiles> {
  return loadFiles({ ...EXTENDS_TESTDATA, ...extra, 'compose.yaml': main }, { env });
}

function composeError(main: string, extra: Record<string, string> = {}): string | null {
  return loadFilesError({ ...EXTENDS_TESTDATA, ...extra, 'compose.yaml': main });
}

describe('extends (compose-go loader/extends_test.go)', () => {
  it('TestExtends: from another file, and a base that extends within its own file', () => {
    const { project } = compose(
      'name: test-extends\nservices:\n  test1:\n    extends:\n      file: testdata/extends/base.yaml\n      service: base\n    hostname: test1\n  test2:\n    extends:\n      file: testdata/extends/base.yaml\n      service: base\n    hostname: test2\n  test3:\n    extends:\n      file: testdata/extends/base.yaml\n      service: another\n    hostname: test3\n',
    );
    expect(Object.values(project.services).map((s) => [s.name, s.image, s.hostname])).toEqual([
      ['test1', 'base', 'test1'],
      ['test2', 'base', 'test2'],
      ['test3', 'base', 'test3'],
    ]);
  });

  it('TestExtendsPort', () => {
    const { project } = compose('services:\n  test:\n    image: test\n    extends:\n      file: testdata/extends/base.yaml\n      service: with-port\n');
    expect(project.services.test?.ports).toEqual([{ target: '8000', published: '8000', host_ip: null, protocol: 'tcp' }]);
  });

  it('TestExtendsRelativePath: a build context is relative to the file that wrote it', () => {
    const { project, dir } = compose('services:\n  test:\n    extends:\n      file: testdata/extends/base.yaml\n      service: with-build\n');
    expect(project.services.test?.build?.context).toBe(join(dir, 'testdata/extends'));
  });

  it('TestExtendsNil: extending an empty service', () => {
    const { project } = compose('services:\n  test:\n    image: test\n    extends:\n      file: testdata/extends/base.yaml\n      service: nil\n');
    expect(project.services.test?.image).toBe('test');
  });

  it('TestExtendsWihtMissingService', () => {
    expect(composeError('services:\n  test:\n    image: test\n    extends:\n      file: testdata/extends/base.yaml\n')).toBe('compose.yaml:5:7: services.test.extends: `service` is required');
  });

  it('TestIncludeWithExtends: an included file whose service extends a sibling file', () => {
    const { project, dir } = compose('name: test-include-with-extends\ninclude:\n  - testdata/extends/nested.yaml\n');
    expect(project.services['with-build']?.build?.context).toBe(join(dir, 'testdata/extends'));
  });

  it('TestExtendsPortOverride: the same port from a file and from the service it extends is one port', () => {
    // The project folder is the first file's (compose's default too; compose-go's test sets it to the test folder).
    const dir = writeFiles({ ...EXTENDS_TESTDATA, 'override.yaml': 'services:\n  test:\n    extends:\n      file: ports.yaml\n      service: test\n' });
    const { project } = loadProject({ files: ['testdata/extends/ports.yaml', 'override.yaml'], cwd: dir, envFiles: [], env: {} });
    expect(project.services.test?.ports).toHaveLength(1);
  });

  it('TestLoadExtendsSameFile: a service extending its neighbour, extended from another folder', () => {
    const { project, dir } = loadFiles({
      'sub/compose.yaml': 'services:\n  base:\n    build:\n      context: ..\n  service:\n    extends: base\n    build:\n      target: target\n',
      'compose.yaml': 'services:\n  out-base:\n    extends:\n      file: sub/compose.yaml\n      service: base\n  out-service:\n    extends:\n      file: sub/compose.yaml\n      service: service\n',
    });
    expect(project.services['out-base']?.build?.context).toBe(dir);
    expect(project.services['out-service']?.build).toMatchObject({ context: dir, target: 'target' });
  });

  it('TestExtendsWithServiceRef: a dependency of the base must exist here', () => {
    const main = 'services:\n  bar:\n    extends:\n      file: ./testdata/extends/depends_on.yaml\n      service: with_depends_on\n';
    expect(composeError(main)).toBe('testdata/extends/depends_on.yaml:5:9: services.bar.depends_on[0]: service "bar" depends on "zot", which is not a service in this project');
    expect(compose(`${main}  zot:\n    image: zot\n`).project.services.bar?.depends_on).toEqual({ zot: { condition: 'service_started', required: true, restart: false } });
  });

  it('TestLoadExtendsDependsOn: !override replaces what the base depends on', () => {
    const { project } = compose('services:\n  service_a:\n    image: a\n    depends_on:\n      - service_c\n  service_b:\n    extends: service_a\n    depends_on: !override\n      - service_a\n  service_c:\n    image: c\n');
    expect(Object.keys(project.services.service_b?.depends_on ?? {})).toEqual(['service_a']);
  });

  it('TestLoadExtendsListener: a chain foo -> bar -> wee -> last', () => {
    const { project } = compose('services:\n  foo:\n    image: busybox\n    extends: bar\n  bar:\n    image: alpine\n    command: echo\n    extends: wee\n  wee:\n    extends: last\n    command: echo\n  last:\n    image: python\n');
    expect(project.services.foo).toMatchObject({ image: 'busybox', command: ['echo'] });
    expect(project.services.wee).toMatchObject({ image: 'python', command: ['echo'] });
  });

  it('TestLoadExtendsListenerMultipleFiles: a chain across files', () => {
    const { project } = loadFiles({
      'sub/compose.yaml': 'services:\n  b:\n    extends: c\n    build:\n      target: fake\n  c:\n    command: echo\n',
      'compose.yaml': 'services:\n  a:\n    extends:\n      file: ./sub/compose.yaml\n      service: b\n',
    });
    expect(project.services.a).toMatchObject({ command: ['echo'], build: { target: 'fake' } });
  });

  it('TestExtendsReset: !reset in the base removes what its own base set', () => {
    const { project } = compose('services:\n  test:\n    extends:\n      file: testdata/extends/reset.yaml\n      service: base\n');
    expect(project.services.test).toMatchObject({ image: 'alpine:latest', command: null });
  });

  it('TestExtendsWithInterpolation: the extended file is interpolated with the same variables', () => {
    expect(compose('services:\n  test:\n    extends: { file: testdata/extends/interpolated.yaml, service: foo }\n').project.services.test?.volumes[0]?.source).toBe('/dev/null');
    expect(compose('services:\n  test:\n    extends: { file: testdata/extends/interpolated.yaml, service: foo }\n', {}, { SOURCE: '/srv' }).project.services.test?.volumes[0]?.source).toBe('/srv');
  });

  it('TestLoadExtends / TestLoadExtendsOverrideCommand: the service wins, command replaced whole', () => {
    const { project } = compose('services:\n  foo:\n    image: busybox\n    extends:\n      service: bar\n    command: "/bin/ash -c \\"rm -rf /tmp/might-not-exist\\""\n  bar:\n    image: alpine\n    command: "/bin/ash -c \\"echo Oh no...\\""\n');
    expect(project.services.foo).toMatchObject({ image: 'busybox', command: ['/bin/ash', '-c', 'rm -rf /tmp/might-not-exist'] });
  });

  it('TestLoadExtendsMultipleFiles: each base keeps the folder of its file', () => {
    const { project, dir } = loadFiles({
      'a/compose.yaml': 'services:\n  a:\n    build: .\n',
      'b/compose.yaml': 'services:\n  b:\n    build:\n      target: fake\n',
      'compose.yaml': 'services:\n  a:\n    extends:\n      file: ./a/compose.yaml\n      service: a\n  b:\n    extends:\n      file: ./b/compose.yaml\n      service: b\n',
    });
    expect(project.services.a?.build?.context).toBe(join(dir, 'a'));
    expect(project.services.b?.build?.context).toBe(dir);
  });

  it('TestLoadExtendsWihReset: !reset [] empties a list of the base', () => {
    const { project } = compose('services:\n  foo:\n    extends:\n      service: bar\n    volumes: !reset []\n  bar:\n    image: alpine\n    command: echo\n    volumes:\n       - .:/src\n');
    expect(project.services.foo?.volumes).toEqual([]);
    expect(project.services.bar?.volumes).toHaveLength(1);
  });

  it('TestLoadWithExtends: env_file relative to the extended file, variables of this project', () => {
    const { project, dir } = compose('name: compose-test-extends\nservices:\n  importer:\n    extends:\n      file: testdata/subdir/compose-test-extends-imported.yaml\n      service: imported\n');
    expect(project.services.importer).toMatchObject({ image: 'nginx', hostname: 'imported', environment: { SOURCE: 'extends' }, volumes: [{ type: 'bind', source: '/opt/data', target: '/var/lib/mysql' }] });
    const raw = loadRawDocument({ files: [], cwd: dir, envFiles: [], env: {} });
    expect(raw.data.services).toMatchObject({ importer: { hostname: '${SOURCE:-imported}', env_file: ['./testdata/subdir/extra.env'] } });
  });

  it('TestOverrideMiddle (override_test.go): !override in the middle of a chain across files', () => {
    const { project } = loadFiles({
      'base.yaml': 'services:\n  base:\n    volumes:\n      - /foo:/foo\n    networks:\n      - foo\n',
      'override.yaml': 'services:\n  override:\n    extends:\n      file: ./base.yaml\n      service: base\n    volumes: !override\n      -  /bar:/bar\n    networks: !override\n      - bar\n',
      'compose.yaml': 'name: test\nservices:\n  test:\n    image: test\n    extends:\n      file: ./override.yaml\n      service: override\n    volumes:\n      - /zot:/zot\n    networks: !override\n      - zot\nnetworks:\n  zot: {}\n',
    });
    expect(project.services.test?.volumes.map((v) => v.source)).toEqual(['/bar', '/zot']);
    expect(Object.keys(project.services.test?.networks ?? {})).toEqual(['zot']);
  });

  it('TestOverrideSelfExtends (override_test.go)', () => {
    const { project } = compose(
      'services:\n  depend_base:\n    image: nginx\n    ports:\n      - "8092:80"\n  depend_one:\n    image: nginx\n    ports:\n      - "8091:80"\n  depend_two:\n    extends:\n      service: depend_one\n  main_one:\n    image: nginx\n    depends_on:\n      - depend_one\n    ports:\n      - "8090:80"\n  main_two:\n    extends: main_one\n    depends_on: !override\n      - depend_two\n  main:\n    extends:\n      service: main_two\n    depends_on:\n      - depend_base\n',
    );
    expect(Object.keys(project.services.main?.depends_on ?? {}).sort()).toEqual(['depend_base', 'depend_two']);
  });

  it('cycles are refused, within a file and across files (loader_test.go TestLoadWithResourcesCycle)', () => {
    expect(composeError('services:\n  a:\n    image: x\n    extends: b\n  b:\n    extends: c\n  c:\n    extends: a\n')).toBe('compose.yaml:4:14: services.a.extends: extends cycle: a -> b -> c -> a');
    expect(composeError('services:\n  a:\n    image: x\n    extends: a\n')).toBe('compose.yaml:4:14: services.a.extends: extends cycle: a -> a');
    expect(
      composeError('services:\n  foo:\n    extends:\n      file: cycle/compose.yaml\n      service: foo\n', {
        'cycle/compose.yaml': 'services:\n  foo:\n    extends:\n      file: compose-cycle.yaml\n      service: bar\n',
        'cycle/compose-cycle.yaml': 'services:\n  bar:\n    extends:\n      file: compose.yaml\n      service: foo\n',
      }),
    ).toBe('cycle/compose.yaml:4:7: services.foo.extends: extends cycle: foo (cycle/compose.yaml) -> bar (cycle/compose-cycle.yaml) -> foo (cycle/compose.yaml)');
  });

  it('an unknown base is a located error with a suggestion', () => {
    expect(composeError('services:\n  web:\n    extends: bse\n  base:\n    image: x\n')).toBe('compose.yaml:3:14: services.web.extends: cannot extend service "web": no service "bse" in compose.yaml; did you mean `base`?');
    expect(composeError('services:\n  web:\n    extends: { file: nope.yaml, service: x }\n')).toBe('nope.yaml: file not found');
  });

  it('an error in an extended value is located in the base file', () => {
    expect(composeError('services:\n  web:\n    extends: { file: base.yaml, service: base }\n', { 'base.yaml': 'services:\n  base:\n    image: x\n    restart: sometimes\n' })).toBe(
      'base.yaml:4:5: services.web.restart: invalid restart policy "sometimes" (no, always, unless-stopped, on-failure or on-failure:N)',
    );
  });

  it('works in a Boltfile too', () => {
    const { project } = loadFiles({ 'Boltfile.toml': '[services.base]\nimage = "x"\nenv.A = "1"\n[services.web]\nextends = "base"\nenv.B = "2"\n' });
    expect(project.services.web).toMatchObject({ image: 'x', environment: { A: '1', B: '2' } });
  });
});

describe('include (compose-go loader/include_test.go, loader_test.go)', () => {
  it('TestLoadWithInclude: variables of the include from its env_file; the project\'s own variables first', () => {
    const main = 'name: test-include\ninclude:\n  - path: ./testdata/subdir/compose-test-extends-imported.yaml\n    env_file: ./testdata/subdir/extra.env\nservices:\n  foo:\n    image: busybox\n    depends_on:\n      - imported\n';
    const { dir, project } = compose(main);
    expect(project.services.imported).toMatchObject({ image: 'nginx', hostname: 'extends', environment: { SOURCE: 'extends' } });
    expect(Object.keys(project.services.foo?.depends_on ?? {})).toEqual(['imported']);
    expect(loadProject({ files: [], cwd: dir, envFiles: [], env: { SOURCE: 'override' } }).project.services.imported?.hostname).toBe('override');
  });

  it('TestLoadWithMultipleInclude: the same service included twice is no conflict', () => {
    const { project } = compose('include:\n  - path: ./testdata/subdir/compose-test-extends-imported.yaml\n    env_file: ./testdata/subdir/extra.env\n  - path: ./testdata/compose-include.yaml\nservices:\n  foo:\n    image: busybox\n    depends_on:\n      - imported\n', {}, { SOURCE: 'override' });
    expect(Object.keys(project.services).sort()).toEqual(['bar', 'foo', 'imported']);
  });

  it('TestLoadWithMultipleIncludeConflict: this file\'s definition is merged over the included one', () => {
    const { project } = compose('include:\n  - path: ./testdata/subdir/compose-test-extends-imported.yaml\n    env_file: ./testdata/subdir/extra.env\n  - path: ./testdata/compose-include.yaml\n    env_file: ./testdata/subdir/extra.env\nservices:\n  bar:\n    image: busybox\n    environment: !override\n      - ZOT=QIX\n');
    expect(project.services.bar).toMatchObject({ image: 'busybox', environment: { ZOT: 'QIX' } });
  });

  it('TestIncludeRelative: paths relative to the included file', () => {
    const { project, dir } = loadFiles({ 'include/compose.yaml': 'include:\n  - path: included.yaml\n', 'include/included.yaml': 'services:\n  included:\n    build: .\n    volumes:\n      - ./:/mnt\n' }, { load: ['include/compose.yaml'] });
    expect(project.services.included?.build?.context).toBe(join(dir, 'include'));
    expect(project.services.included?.volumes[0]?.source).toBe(join(dir, 'include'));
  });

  it('TestLoadWithIncludeEnv: an include\'s variables are its own', () => {
    const { project } = loadFiles({
      'compose.yml': 'include:\n  - path:\n    - ./module/compose.yml\n    env_file:\n      - ./custom.env\nservices:\n  a:\n    image: alpine\n    environment:\n      - VAR_NAME\n',
      'custom.env': 'VAR_NAME=value\n',
      'module/compose.yml': 'services:\n  b:\n    image: alpine\n    environment:\n      - VAR_NAME\n  c:\n    image: alpine\n    environment:\n      - VAR_NAME\n',
    });
    expect(project.services.a?.environment).toEqual({});
    expect(project.services.b?.environment).toEqual({ VAR_NAME: 'value' });
    expect(project.services.c?.environment).toEqual({ VAR_NAME: 'value' });
  });

  it('TestIncludeWithProjectDirectory: project_directory is where the included file\'s paths resolve', () => {
    const { project, dir } = loadFiles(
      {
        'include/project-directory.yaml': 'include:\n  - project_directory: ../subdir\n    path: ./dir/compose.yaml\n',
        'include/dir/compose.yaml': 'services:\n  service:\n    build:\n      context: .\n    volumes:\n      - type: bind\n        source: compose-test-extends-imported.yaml\n        target: /mnt/bind/compose.yaml\n    env_file:\n      - extra.env\n',
        'subdir/extra.env': 'SOURCE=extends\n',
      },
      { load: ['include/project-directory.yaml'] },
    );
    expect(project.services.service?.build?.context).toBe(join(dir, 'subdir'));
    expect(project.services.service?.volumes[0]?.source).toBe(join(dir, 'subdir/compose-test-extends-imported.yaml'));
    expect(project.services.service?.environment).toEqual({ SOURCE: 'extends' });
  });

  it('TestNestedIncludeAndExtends / TestLoadIncludeExtendsCombined', () => {
    const { project } = loadFiles({
      'compose.yml': 'include:\n  - project_directory: .\n    path: dir/included.yaml\n',
      'dir/included.yaml': 'services:\n  included:\n    extends:\n      file: dir/extended.yaml\n      service: extended\n',
      'dir/extended.yaml': 'services:\n  extended:\n    image: alpine\n',
    });
    expect(project.services.included?.image).toBe('alpine');
    const combined = loadFiles({
      'compose.yaml': 'include:\n  - path:\n      - dir/included.yaml\n',
      'dir/extended.yaml': 'services:\n  service:\n    build: .\n',
      'dir/included.yaml': 'services:\n  service:\n    extends:\n      file: extended.yaml\n      service: service\n',
    });
    expect(combined.project.services.service?.build?.context).toBe(join(combined.dir, 'dir'));
  });

  it('TestLoadWithIncludeCycle', () => {
    expect(loadFilesError({ 'compose-include-cycle.yaml': 'include:\n  - compose-include-cycle.yaml\nname: project\nservices:\n  foo:\n    image: foo\n' }, { load: ['compose-include-cycle.yaml'] })).toBe(
      'compose-include-cycle.yaml:2:5: include[0].path: include cycle: compose-include-cycle.yaml -> compose-include-cycle.yaml',
    );
    expect(loadFilesError({ 'compose.yaml': 'include: [a.yaml]\n', 'a.yaml': 'include: [b.yaml]\n', 'b.yaml': 'include: [a.yaml]\n' })).toBe('b.yaml:1:11: include[0].path: include cycle: a.yaml -> b.yaml -> a.yaml');
  });

  it('TestLoadWithIncludeOverride: a later -f file overrides an included service', () => {
    const dir = writeFiles({ ...EXTENDS_TESTDATA, 'compose.yaml': 'include:\n  - ./testdata/subdir/compose-test-extends-imported.yaml\n', 'override.yaml': 'services:\n  imported:\n    image: overridden\n' });
    expect(loadProject({ files: ['compose.yaml', 'override.yaml'], cwd: dir, envFiles: [], env: {} }).project.services.imported?.image).toBe('overridden');
  });

  it('an included file, its env file and the files its services extend are inputs (watch re-loads on them)', () => {
    const { inputs, dir } = compose('include:\n  - path: ./testdata/compose-include.yaml\n    env_file: ./testdata/subdir/extra.env\n');
    for (const f of ['testdata/compose-include.yaml', 'testdata/subdir/extra.env', 'testdata/subdir/compose-test-extends-imported.yaml']) expect(inputs).toContain(join(dir, f));
  });

  it('problems are located in the include entry', () => {
    expect(composeError('include:\n  - path: nope.yaml\n')).toBe('compose.yaml:2:11: include[0].path: nope.yaml: file not found');
    expect(composeError('include:\n  - paht: a.yaml\n')).toBe('compose.yaml:2:5: include[0].paht: unknown key `paht` (include takes path, project_directory and env_file)');
    expect(composeError('include:\n  - path: testdata/compose-include.yaml\n    env_file: missing.env\n')).toBe('compose.yaml:3:15: include[0].env_file: missing.env: env file not found');
  });

  it('an error in an included file is located there', () => {
    const { warnings } = compose('include:\n  - inc.yaml\n', { 'inc.yaml': 'services:\n  a:\n    image: x${MISSING}\n' });
    expect(warnings.map(formatDiagnostic)).toEqual(['inc.yaml:3:12: warning: services.a.image: variable MISSING is not set; using an empty string']);
    expect(composeError('include:\n  - inc.yaml\n', { 'inc.yaml': 'services:\n  a:\n    image: x\n    ports: ["nope"]\n' })).toBe('inc.yaml:4:13: services.a.ports[0]: invalid container port "nope" in "nope"');
  });
});

describe('!reset across files (compose-go loader/merge_reset_test.go)', () => {
  it('Test_LoadWithReset', () => {
    const { project } = loadFiles(
      {
        'base.yml': 'name: test\nservices:\n  foo:\n    build:\n      context: .\n      dockerfile: foo.Dockerfile\n    environment:\n      FOO: BAR\n',
        'override.yml': 'services:\n  foo:\n    image: foo\n    build: !reset\n    environment:\n      FOO: !reset\n',
      },
      { load: ['base.yml', 'override.yml'] },
    );
    expect(project.services.foo).toMatchObject({ image: 'foo', build: null, environment: {} });
  });

  it('Test_DuplicateReset: a key written twice is an error', () => {
    expect(loadFilesError({ 'compose.yaml': 'name: test\nservices:\n  foo:\n    command: hello\n    command: !reset hello world\n' })).toBe('compose.yaml:5:5: invalid YAML: Map keys must be unique');
  });
});
