// Which env files a project reads and which value wins, as compose-spec/compose-go states it: cli/options_test.go,
// dotenv/godotenv_test.go (TestMultipleFiles), types/project_test.go, loader/loader_test.go and
// loader/tests/env_file_test.go. Each case names its compose-go test; fixtures are written out here.
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../../../src/model/errors.js';
import { loadError, loadToml } from '../../../fixtures/load-toml.js';

const env = (toml: string, options: Parameters<typeof loadToml>[1] = {}, service = 'web'): Record<string, string> | undefined =>
  loadToml(toml, options).project.services[service]?.environment;

describe('project variables: the process environment, then --env-file or .env', () => {
  it.each([
    ['no value set in environment', {}, { FOO: 'foo', BAR: 'foo' }],
    ['conflict with value set in environment', { FOO: 'zot' }, { FOO: 'zot', BAR: 'zot' }],
  ])('TestEnvVariablePrecedence (cli/options_test.go): %s', (_name, shell, expected) => {
    const toml = '[services.web]\nimage = "x"\nenvironment = { FOO = "${FOO}", BAR = "${BAR}" }';
    expect(env(toml, { env: shell, files: { '.env': 'FOO=foo\nBAR=${FOO}' } })).toEqual(expected);
  });

  it('TestProjectWithDotEnv (cli/options_test.go): .env beside the Boltfile feeds interpolation', () => {
    const { project } = loadToml('[services.simple]\nimage = "nginx"\nports = ["${PUBLIC_PORT}:80"]', { files: { '.env': 'PUBLIC_PORT=8000\n' } });
    expect(project.services.simple?.ports[0]?.published).toBe('8000');
  });

  it('TestProjectWithMultipleEnvFile (cli/options_test.go): several --env-file, the later wins; several env_file, the later wins', () => {
    const { project } = loadToml('[services.simple]\nimage = "nginx"\nenv_file = ["./simple-env", "./second-env"]\nports = ["${PORT}:80"]', {
      files: {
        'env-file/.env': 'COMPOSE_PROJECT_NAME=my_project_from_dot_env\nPORT=8000\n',
        'env-file/override.env': 'PORT=9000\n',
        'simple-env': 'DEFAULT_PORT=8080\n',
        'second-env': 'DEFAULT_PORT=9090\n',
      },
      envFiles: ['env-file/.env', 'env-file/override.env'],
    });
    expect(project.services.simple?.environment).toEqual({ DEFAULT_PORT: '9090' });
    expect(project.services.simple?.ports[0]?.published).toBe('9000');
  });

  it('TestProjectWithDiscardEnvFile (cli/options_test.go): env_file values reach the service', () => {
    expect(env('[services.simple]\nimage = "nginx"\nenv_file = ["./simple-env"]', { files: { 'simple-env': 'DEFAULT_PORT=8080\n' } }, 'simple')).toEqual({ DEFAULT_PORT: '8080' });
  });

  it.each([
    ['without the variable in the environment', {}, { H: 'dev.my-company.com', U: 'http://dev.my-company.com' }],
    ['with it', { ENV_HOSTNAME: 'host.local' }, { H: 'host.local', U: 'http://host.local' }],
  ])('TestMultipleFiles (dotenv/godotenv_test.go) through --env-file: %s', (_name, shell, expected) => {
    const toml = '[services.web]\nimage = "x"\nenvironment = { H = "${ENV_HOSTNAME}", U = "${ENV_MY_URL}" }';
    const files = {
      'base.env': '\nENV_HOSTNAME=localhost\nENV_MY_URL="http://${ENV_HOSTNAME}"\n',
      'override.env': '\nENV_HOSTNAME=dev.my-company.com\nENV_MY_URL="http://${ENV_HOSTNAME}"\n',
    };
    expect(env(toml, { env: shell, files, envFiles: ['base.env', 'override.env'] })).toEqual(expected);
  });

  it('--env-file replaces .env: a variable only .env sets is unset', () => {
    const { project, warnings } = loadToml('[services.web]\nimage = "x"\nenvironment = { A = "${A}", B = "${B}" }', {
      files: { '.env': 'A=from-dotenv\nB=from-dotenv', 'other.env': 'B=from-other' },
      envFiles: ['other.env'],
    });
    expect(project.services.web?.environment).toEqual({ A: '', B: 'from-other' });
    expect(warnings.map((w) => w.message)).toEqual(['warning: services.web.environment.A: variable A is not set; using an empty string']);
  });

  it('the inputs watch follows: --env-file files, else .env', () => {
    const withEnvFile = loadToml('[services.web]\nimage = "x"', { files: { 'a.env': 'A=1' }, envFiles: ['a.env'] });
    expect(withEnvFile.inputs.map((f) => f.slice(withEnvFile.dir.length + 1))).toEqual(['Boltfile.toml', 'a.env']);
    const without = loadToml('[services.web]\nimage = "x"');
    expect(without.inputs.map((f) => f.slice(without.dir.length + 1))).toEqual(['Boltfile.toml', '.env']);
  });

  it('a .env that is a directory is ignored, as compose does; an --env-file that is one is an error', () => {
    expect(env('[services.web]\nimage = "x"', { files: { '.env/keep': '' } })).toEqual({});
    expect(loadError('[services.web]\nimage = "x"', { files: { 'd/keep': '' }, envFiles: ['d'] })).toBe('d: is a directory, not an env file');
  });

  it('a problem in .env is located in it, quoting no value', () => {
    expect(loadError('[services.web]\nimage = "x"', { files: { '.env': 'OK=1\nTOKEN="s3cret' } })).toBe('.env:2:7: unterminated quoted value');
    expect(loadError('[services.web]\nimage = "x"', { files: { '.env': 'A=${B:?set B}' } })).toBe('.env:1:3: required variable B is missing a value: set B');
  });
});

describe('a service\'s env_file', () => {
  it('TestProject_WithServicesEnvironmentResolved (types/project_test.go): environment over env_file; interpolating, the project first, then environment, then earlier lines', () => {
    const toml = [
      '[services.base]',
      'image = "x"',
      'environment = ["FOO=foo_from_environment", "BAR=bar_from_environment", "QIX"]',
      'env_file = "fixtures/base.env"',
      '[services.override]',
      'image = "x"',
      'environment = { FOO = "foo_from_environment" }',
      'env_file = ["fixtures/base.env", "fixtures/override.env"]',
    ].join('\n');
    const { project } = loadToml(toml, {
      env: { FOO: 'FOO_from_os.env', QIX: 'QIX_from_os.env' },
      files: {
        'fixtures/base.env': 'FOO=foo_from_base.env\nINTERPOLATED_FOO=${FOO}\nBAR=bar_from_base.env\nINTERPOLATED_BAR=${BAR}\nZOT=zot_from_base.env\nINTERPOLATED_ZOT=${ZOT}\n',
        'fixtures/override.env': 'FOO=foo_from_override.env\nINTERPOLATED_FOO=${FOO}\nBAR=bar_from_override.env\nINTERPOLATED_BAR=${BAR}\n',
      },
    });
    expect(project.services.base?.environment).toEqual({
      FOO: 'foo_from_environment',
      BAR: 'bar_from_environment',
      QIX: 'QIX_from_os.env',
      ZOT: 'zot_from_base.env',
      INTERPOLATED_FOO: 'FOO_from_os.env',
      INTERPOLATED_BAR: 'bar_from_environment',
      INTERPOLATED_ZOT: 'zot_from_base.env',
    });
    expect(project.services.override?.environment).toEqual({
      FOO: 'foo_from_environment',
      BAR: 'bar_from_override.env',
      ZOT: 'zot_from_base.env',
      INTERPOLATED_FOO: 'FOO_from_os.env',
      INTERPOLATED_BAR: 'bar_from_override.env',
      INTERPOLATED_ZOT: 'zot_from_base.env',
    });
  });

  it('TestDiscardEnvFileOption (loader/loader_test.go): a path and a { path, required = false } entry', () => {
    const toml = '[services.web]\nimage = "nginx"\nenv_file = ["example1.env", { path = "example2.env", required = false }]';
    const files = {
      'example1.env': '# passed through\nFOO=foo_from_env_file\nENV.WITH.DOT=ok\nENV_WITH_UNDERSCORE=ok\n\n# overridden in example2.env\nBAR=bar_from_env_file\n\n# overridden in full-example.yml\nBAZ=baz_from_env_file\n',
      'example2.env': 'BAR=bar_from_env_file_2\n\n# overridden in configDetails.Environment\nQUX=quz_from_env_file_2\n',
    };
    expect(env(toml, { files })).toEqual({
      FOO: 'foo_from_env_file',
      BAZ: 'baz_from_env_file',
      BAR: 'bar_from_env_file_2',
      QUX: 'quz_from_env_file_2',
      'ENV.WITH.DOT': 'ok',
      ENV_WITH_UNDERSCORE: 'ok',
    });
  });

  it('TestWithSelectedServicesOption_SkipsMissingEnvFile (loader/loader_test.go): a missing required env_file is an error naming it', () => {
    expect(loadError('[services.other]\nimage = "alpine"\nenv_file = [{ path = "this-file-does-not-exist.env", required = true }]')).toMatch(
      /^Boltfile\.toml:3:13: services\.other\.env_file\[0\]: env_file "this-file-does-not-exist\.env" not found \(looked at .*this-file-does-not-exist\.env\); add `required = false` if it is optional$/,
    );
  });

  it('TestEnvFileLongSyntax (loader/tests/env_file_test.go): required = false and format = "raw"; a missing optional file is no error', () => {
    expect(env('[services.foo]\nimage = "alpine"\nenv_file = [{ path = ".env", required = false, format = "raw" }]', {}, 'foo')).toEqual({});
  });

  it('format = "raw" reads values as written', () => {
    const toml = '[services.web]\nimage = "x"\nenv_file = [{ path = "raw.env", format = "raw" }, "dot.env"]';
    const files = { 'raw.env': 'A="quoted" # kept\nB=${NOT_EXPANDED}\n', 'dot.env': 'C="${A}"\n' };
    expect(env(toml, { files })).toEqual({ A: '"quoted" # kept', B: '${NOT_EXPANDED}', C: '"quoted" # kept' });
  });

  it('an unknown format is a located error', () => {
    expect(loadError('[services.web]\nimage = "x"\nenv_file = [{ path = "a.env", format = "yaml" }]', { files: { 'a.env': 'A=1' } })).toBe(
      'Boltfile.toml:3:31: services.web.env_file[0].format: unsupported env_file format "yaml" (use "raw", or leave it out for the .env format)',
    );
  });

  it('an entry without a name is left out with a warning', () => {
    const { project, warnings } = loadToml('[services.web]\nimage = "x"\nenv_file = "a.env"', { files: { 'a.env': 'A=1\n="value"\n' } });
    expect(project.services.web?.environment).toEqual({ A: '1' });
    expect(warnings.map(formatDiagnostic)[0]).toMatch(/^Boltfile\.toml:3:1: warning: services\.web\.env_file: .*a\.env:2: an entry without a variable name is left out$/);
  });

  it('a problem inside an env_file names the file, line and column, quoting no value', () => {
    expect(loadError('[services.web]\nimage = "x"\nenv_file = "a.env"', { files: { 'a.env': 'A=1\nSECRET_KEY="abc' } })).toMatch(
      /^Boltfile\.toml:3:1: services\.web\.env_file: .*a\.env:2:12: unterminated quoted value$/,
    );
  });
});
