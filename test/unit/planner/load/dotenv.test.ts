// .env parsing, case for case as compose-spec/compose-go states it: dotenv/parser_test.go, dotenv/godotenv_test.go
// (with its fixtures, written out here) and dotenv/godotenv_var_expansion_test.go. Each row names its compose-go test.
// Then surge's own cases, docker's `raw` format, and the hardening ones (bounded time, no values in errors).
import { describe, expect, it } from 'vitest';
import { parseDotenv, parseRawEnv, type DotenvResult, type Lookup } from '../../../../src/planner/load/dotenv.js';

const mapOf =
  (env: Record<string, string>): Lookup =>
  (k) =>
    Object.hasOwn(env, k) ? env[k] : undefined;

function entries(r: DotenvResult): Record<string, string> {
  if (!r.ok) throw new Error(`unexpected failure at ${r.line}:${r.column}: ${r.message}`);
  return Object.fromEntries(r.entries.map((e) => [e.key, e.value]));
}
const parse = (src: string, lookup?: Lookup): Record<string, string> => entries(parseDotenv(src, lookup));

// compose-go dotenv/fixtures
const fixtures = {
  'plain.env': 'OPTION_A=1\nOPTION_B=2\nOPTION_C= 3\nOPTION_D =4\nOPTION_E = 5\n456 = ABC\nOPTION_F = \nOPTION_G=\nOPTION_H = my string # Inline comment\n',
  'exported.env': "export OPTION_A=2\nexport OPTION_B='\\n'\n",
  'equals.env': "export OPTION_A='postgres://localhost:5432/database?sslmode=disable'\n\n",
  'quoted.env': [
    "OPTION_A='1'",
    "OPTION_B='2'",
    "OPTION_C=''",
    "OPTION_D='\\n'",
    'OPTION_E="1"',
    'OPTION_F="2"',
    'OPTION_G=""',
    'OPTION_H="\\n"',
    'OPTION_I = "echo \'asd\'" # Inline comment',
    "OPTION_J = 'first line",
    'second line',
    'third line',
    "and so on'",
    "OPTION_K='Let\\'s go!'",
    'OPTION_Z = "last value"',
    '',
  ].join('\n'),
  'unquoted.env': [
    'OPTION_A = "some quoted phrase"',
    'OPTION_B=first one with an unquoted phrase',
    'OPTION_C = then another one with an unquoted phrase',
    'OPTION_D = then another one with an unquoted phrase special è char',
    'OPTION_E = "then another one quoted phrase"',
    '',
  ].join('\n'),
  'substitutions.env': 'OPTION_A=1\nOPTION_B=${OPTION_A}\nOPTION_C=$OPTION_B\nOPTION_D=${OPTION_A}_${OPTION_B}\nOPTION_E=${OPTION_NOT_DEFINED}\n',
  'substitutions-default.env': 'OPTION_A=${OPTION_A:-1}\nOPTION_B=${OPTION_A}\nOPTION_C=$OPTION_B\nOPTION_D=${OPTION_A}_${OPTION_B}\nOPTION_E=${OPTION_NOT_DEFINED}\n',
  'special.env': 'VAR.WITH.DOTS=dots\nVAR_WITH_UNDERSCORES=underscores\nVAR-WITH-DASHES=dashes\n',
  'inherited-multi-var.env': 'foo=bar\nVAR_TO_BE_LOADED_FROM_OS_ENV\nbar=baz\n',
  'inherited-single-var.env': 'VAR_TO_BE_LOADED_FROM_OS_ENV\n',
  'inherited-not-found.env': 'VARIABLE_NOT_FOUND\n',
  'invalid1.env': '# some comments\nfoo="\n  a\n  multine\n  value\n"\nINVALID LINE\nzot=qix',
  'utf8-bom.env': '\uFEFFOPTION_A=1\nOPTION_B=2\nOPTION_C= 3\nOPTION_D =4\nOPTION_E = 5\n456 = ABC\nOPTION_F =\nOPTION_G=\nOPTION_H = my string # Inline comment\n',
};

describe('compose-go dotenv/parser_test.go', () => {
  it('TestParseBytes: names with [ ] . - and any letter', () => {
    expect(parse('\na=b\na[1]=c\na.propertyKey=d\nárvíztűrő-TÜKÖRFÚRÓGÉP=ÁRVÍZTŰRŐ-tükörfúrógép\n')).toEqual({
      a: 'b',
      'a[1]': 'c',
      'a.propertyKey': 'd',
      'árvíztűrő-TÜKÖRFÚRÓGÉP': 'ÁRVÍZTŰRŐ-tükörfúrógép',
    });
  });

  it('TestParseVariable: an unexpected character in a name is a located error', () => {
    expect(parseDotenv('%!(EXTRA string)=foo')).toEqual({ ok: false, line: 1, column: 1, message: 'unexpected character "%" in variable name' });
  });

  it('TestMemoryExplosion: 1000 lines, 1000 entries', () => {
    const src = Array.from({ length: 1000 }, (_, i) => `KEY${i}=VALUE${i}`).join('\n');
    expect(Object.keys(parse(src))).toHaveLength(1000);
  });
});

describe('compose-go dotenv/godotenv_test.go', () => {
  it.each([
    // Read() drops names starting with a digit; the loader's own path (GetEnvFromFile, ParseWithFormat) keeps them.
    ['TestReadPlainEnv / TestLoadPlainEnv', 'plain.env', { OPTION_A: '1', OPTION_B: '2', OPTION_C: '3', OPTION_D: '4', OPTION_E: '5', 456: 'ABC', OPTION_F: '', OPTION_G: '', OPTION_H: 'my string' }],
    ['TestLoadExportedEnv', 'exported.env', { OPTION_A: '2', OPTION_B: '\\n' }],
    ['TestLoadEqualsEnv', 'equals.env', { OPTION_A: 'postgres://localhost:5432/database?sslmode=disable' }],
    [
      'TestLoadQuotedEnv',
      'quoted.env',
      {
        OPTION_A: '1',
        OPTION_B: '2',
        OPTION_C: '',
        OPTION_D: '\\n',
        OPTION_E: '1',
        OPTION_F: '2',
        OPTION_G: '',
        OPTION_H: '\n',
        OPTION_I: "echo 'asd'",
        OPTION_J: 'first line\nsecond line\nthird line\nand so on',
        OPTION_K: "Let's go!",
        OPTION_Z: 'last value',
      },
    ],
    [
      'TestLoadUnquotedEnv',
      'unquoted.env',
      {
        OPTION_A: 'some quoted phrase',
        OPTION_B: 'first one with an unquoted phrase',
        OPTION_C: 'then another one with an unquoted phrase',
        OPTION_D: 'then another one with an unquoted phrase special è char',
        OPTION_E: 'then another one quoted phrase',
      },
    ],
    ['TestSubstitutions', 'substitutions.env', { OPTION_A: '1', OPTION_B: '1', OPTION_C: '1', OPTION_D: '1_1', OPTION_E: '' }],
    ['TestSubstitutionsWithUnsetVarEnvFileDefaultValuePrecedence', 'substitutions-default.env', { OPTION_A: '1', OPTION_B: '1', OPTION_C: '1', OPTION_D: '1_1', OPTION_E: '' }],
    ['TestUTF8BOM', 'utf8-bom.env', { OPTION_A: '1', OPTION_B: '2', OPTION_C: '3', OPTION_D: '4', OPTION_E: '5', 456: 'ABC', OPTION_F: '', OPTION_G: '', OPTION_H: 'my string' }],
    ['TestDash', 'special.env', { 'VAR-WITH-DASHES': 'dashes', 'VAR.WITH.DOTS': 'dots', VAR_WITH_UNDERSCORES: 'underscores' }],
    ['TestInheritedEnvVariableNotFound', 'inherited-not-found.env', {}],
  ] as const)('%s (%s)', (_test, fixture, expected) => {
    expect(parse(fixtures[fixture])).toEqual(expected);
  });

  it('TestParse', () => {
    expect(parse('ONE=1\nTWO=\'2\'\nTHREE = "3"')).toEqual({ ONE: '1', TWO: '2', THREE: '3' });
  });

  it.each([
    ['TestSubstitutionsWithEnvFilePrecedence', 'substitutions.env', { OPTION_A: '1', OPTION_B: '5', OPTION_C: '5', OPTION_D: '5_5', OPTION_E: '' }],
    ['TestSubstitutionsWithEnvFileDefaultValuePrecedence', 'substitutions-default.env', { OPTION_A: '5', OPTION_B: '5', OPTION_C: '5', OPTION_D: '5_5', OPTION_E: '' }],
  ] as const)('%s: the environment wins over earlier lines when expanding', (_test, fixture, expected) => {
    expect(parse(fixtures[fixture], mapOf({ OPTION_A: '5' }))).toEqual(expected);
  });

  it.each([
    ['expands variables found in values', 'FOO=test\nBAR=$FOO', { FOO: 'test', BAR: 'test' }],
    ['parses variables wrapped in brackets', 'FOO=test\nBAR=${FOO}bar', { FOO: 'test', BAR: 'testbar' }],
    ['expands undefined variables to an empty string', 'BAR=$FOO', { BAR: '' }],
    ['expands variables in double quoted strings', 'FOO=test\nBAR="quote $FOO"', { FOO: 'test', BAR: 'quote test' }],
    ['does not expand variables in single quoted strings', "BAR='quote $FOO'", { BAR: 'quote $FOO' }],
    ['does not expand escaped variables 1', 'FOO="foo\\$BAR"', { FOO: 'foo$BAR' }],
    ['does not expand escaped variables 2', 'FOO="foo\\${BAR}"', { FOO: 'foo${BAR}' }],
    ['does not expand escaped variables 3', 'FOO=test\nBAR="foo\\${FOO} ${FOO}"', { FOO: 'test', BAR: 'foo${FOO} test' }],
  ])('TestExpanding: %s', (_name, src, expected) => {
    expect(parse(src)).toEqual(expected);
  });

  it('TestVariableStringValueSeparator: a double-quoted value over two lines', () => {
    expect(parse('TEST_URLS="stratum+tcp://stratum.antpool.com:3333\nstratum+tcp://stratum.antpool.com:443"')).toEqual({
      TEST_URLS: 'stratum+tcp://stratum.antpool.com:3333\nstratum+tcp://stratum.antpool.com:443',
    });
  });

  it.each([
    ['FOO=bar', 'FOO', 'bar'],
    ['FOO =bar', 'FOO', 'bar'],
    ['FOO= bar', 'FOO', 'bar'],
    ['FOO="bar"', 'FOO', 'bar'],
    ["FOO='bar'", 'FOO', 'bar'],
    ['FOO="escaped\\"bar"', 'FOO', 'escaped"bar'],
    ['FOO="\\"quoted\\""', 'FOO', '"quoted"'],
    ['FOO="\'d\'"', 'FOO', "'d'"],
    ['OPTION_A: 1', 'OPTION_A', '1'],
    ['OPTION_A: Foo=bar', 'OPTION_A', 'Foo=bar'],
    ['OPTION_A=1:B', 'OPTION_A', '1:B'],
    ['export OPTION_A=2', 'OPTION_A', '2'],
    ["export OPTION_B='\\n'", 'OPTION_B', '\\n'],
    ['export exportFoo=2', 'exportFoo', '2'],
    ['exportFOO=2', 'exportFOO', '2'],
    ['export_FOO =2', 'export_FOO', '2'],
    ['export.FOO= 2', 'export.FOO', '2'],
    ['export\tOPTION_A=2', 'OPTION_A', '2'],
    ['  export OPTION_A=2', 'OPTION_A', '2'],
    ['\texport OPTION_A=2', 'OPTION_A', '2'],
    ['export OPTION_A="export A"', 'OPTION_A', 'export A'],
    ['FOO="bar\\nbaz"', 'FOO', 'bar\nbaz'],
    ['FOO=a\\tb', 'FOO', 'a\\tb'],
    ['FOO="a\\tb"', 'FOO', 'a\tb'],
    ['KEY="Z\\aZ\\bZ\\fZ\\nZ\\rZ\\tZ\\vZ\\\\Z\\0123Z"', 'KEY', 'Z\x07Z\bZ\fZ\nZ\rZ\tZ\vZ\\ZSZ'],
    ['FOO.BAR=foobar', 'FOO.BAR', 'foobar'],
    ['FOO=foobar=', 'FOO', 'foobar='],
    ['FOO=bar ', 'FOO', 'bar'],
    ['FOO=bar # this is foo', 'FOO', 'bar'],
    ['FOO=bar #this is foo', 'FOO', 'bar'],
    ['FOO=bar #', 'FOO', 'bar'],
    ['FOO=123#not-an-inline-comment', 'FOO', '123#not-an-inline-comment'],
    ['FOO="bar#baz"', 'FOO', 'bar#baz'],
    ['FOO="bar#baz"#', 'FOO', 'bar#baz'],
    ['FOO="bar#baz" # comment', 'FOO', 'bar#baz'],
    ["FOO='bar#baz' # comment", 'FOO', 'bar#baz'],
    ['FOO="bar#baz#bang" # comment', 'FOO', 'bar#baz#bang'],
    ['FOO="ba#r"', 'FOO', 'ba#r'],
    ["FOO='ba#r'", 'FOO', 'ba#r'],
    ['FOO="bar\\n\\ b\\az"', 'FOO', 'bar\n\\ b\x07z'],
    ['FOO="bar\\\\\\n\\ b\\az"', 'FOO', 'bar\\\n\\ b\x07z'],
    ['FOO="bar\\\\r\\ b\\az"', 'FOO', 'bar\\r\\ b\x07z'],
    ['FOO="bar\\nbaz\\\\"', 'FOO', 'bar\nbaz\\'],
    ['="value"', '', 'value'],
    [' KEY =value', 'KEY', 'value'],
    ['   KEY=value', 'KEY', 'value'],
    ['\tKEY=value', 'KEY', 'value'],
    ['KEY="\\0123"', 'KEY', 'S'],
    ['KEY="\\x07"', 'KEY', '\\x07'],
    ['KEY="\\u12e4"', 'KEY', '\\u12e4'],
    ['KEY="\\U00101234"', 'KEY', '\\U00101234'],
  ])('TestParsing: %j → %s = %j', (src, key, expected) => {
    const got = parse(src);
    expect(Object.hasOwn(got, key)).toBe(true);
    expect(got[key]).toBe(expected);
  });

  it('TestParsing: "lol$wut" is an error', () => {
    expect(parseDotenv('lol$wut')).toEqual({ ok: false, line: 1, column: 4, message: 'unexpected character "$" in variable name' });
  });

  it.each(['KEY="', 'KEY="value', 'KEY="value\\"', 'KEY="value\'', "KEY='", "KEY='value", "KEY='value\\'", 'KEY=\'value"'])(
    'TestUnterminatedQuotes: %j',
    (src) => {
      expect(parseDotenv(src)).toEqual({ ok: false, line: 1, column: 5, message: 'unterminated quoted value' });
    },
  );

  it.each([
    ['Line with nothing but line break', '\n'],
    ['Line with nothing but windows-style line break', '\r\n'],
    ['Line full of whitespace', '\t\t '],
    ['Comment', '# Comment'],
    ['Indented comment', '\t # comment'],
  ])('TestLinesToIgnore: %s', (_name, src) => {
    expect(parseDotenv(src)).toEqual({ ok: true, entries: [] });
  });

  it('TestErrorParsing: a name with a space is an error on its line', () => {
    expect(parseDotenv(fixtures['invalid1.env'])).toEqual({ ok: false, line: 7, column: 1, message: 'a variable name cannot contain a space' });
  });

  it.each([
    ['TestInheritedEnvVariableSameSize', 'inherited-multi-var.env', { VAR_TO_BE_LOADED_FROM_OS_ENV: 'SOME_RANDOM_VALUE', foo: 'bar', bar: 'baz' }],
    ['TestInheritedEnvVariableSingleVar', 'inherited-single-var.env', { VAR_TO_BE_LOADED_FROM_OS_ENV: 'SOME_RANDOM_VALUE' }],
    ['TestInheritedEnvVariableNotFoundWithLookup', 'inherited-not-found.env', {}],
  ] as const)('%s: a bare KEY takes the environment\'s value', (_test, fixture, expected) => {
    expect(parse(fixtures[fixture], mapOf({ VAR_TO_BE_LOADED_FROM_OS_ENV: 'SOME_RANDOM_VALUE' }))).toEqual(expected);
  });

  it('TestExpandingEnvironmentWithLookup', () => {
    expect(parse('TEST=$ME', mapOf({ ME: 'YES' }))).toEqual({ TEST: 'YES' });
  });

  it('TestMultipleFiles: a later file wins; expanding, the environment wins, then every earlier line of every file', () => {
    const base = '\nENV_HOSTNAME=localhost\nENV_MY_URL="http://${ENV_HOSTNAME}"\n';
    const override = '\nENV_HOSTNAME=dev.my-company.com\nENV_MY_URL="http://${ENV_HOSTNAME}"\n';
    const read = (osEnv: Record<string, string>): Record<string, string> => {
      const vars = new Map<string, string>();
      const lookup: Lookup = (k) => osEnv[k] ?? vars.get(k);
      for (const src of [base, override]) entries(parseDotenv(src, lookup, vars));
      return Object.fromEntries(vars);
    };
    expect(read({})).toEqual({ ENV_HOSTNAME: 'dev.my-company.com', ENV_MY_URL: 'http://dev.my-company.com' });
    expect(read({ ENV_HOSTNAME: 'host.local' })).toEqual({ ENV_HOSTNAME: 'dev.my-company.com', ENV_MY_URL: 'http://host.local' });
  });
});

describe('compose-go dotenv/godotenv_var_expansion_test.go', () => {
  const vars = (): Map<string, string> => new Map([['EMPTY_VAR', ''], ['TEST_VAR', 'Test Value']]);
  it.each([
    ['TestExpandIfEmptyOrUnset: UNSET_VAR', 'RESULT=${UNSET_VAR:-Default Value}', 'Default Value'],
    ['TestExpandIfEmptyOrUnset: EMPTY_VAR', 'RESULT=${EMPTY_VAR:-Default Value}', 'Default Value'],
    ['TestExpandIfEmptyOrUnset: TEST_VAR', 'RESULT=${TEST_VAR:-Default Value}', 'Test Value'],
    ['TestExpandIfUnset: UNSET_VAR', 'RESULT=${UNSET_VAR-Default Value}', 'Default Value'],
    ['TestExpandIfUnset: EMPTY_VAR', 'RESULT=${EMPTY_VAR-Default Value}', ''],
    ['TestExpandIfUnset: TEST_VAR', 'RESULT=${TEST_VAR-Default Value}', 'Test Value'],
    ['TestErrorIfEmptyOrUnset: TEST_VAR', 'RESULT=${TEST_VAR:?Default Value}', 'Test Value'],
    ['TestErrorIfUnset: EMPTY_VAR', 'RESULT=${EMPTY_VAR?Test error}', ''],
    ['TestErrorIfUnset: TEST_VAR', 'RESULT=${TEST_VAR?Default Value}', 'Test Value'],
  ])('%s', (_name, src, expected) => {
    expect(entries(parseDotenv(src, undefined, vars())).RESULT).toBe(expected);
  });

  it.each([
    ['TestErrorIfEmptyOrUnset: UNSET_VAR', 'RESULT=${UNSET_VAR:?Test error}', 'required variable UNSET_VAR is missing a value: Test error'],
    ['TestErrorIfEmptyOrUnset: EMPTY_VAR', 'RESULT=${EMPTY_VAR:?Test error}', 'required variable EMPTY_VAR is missing a value: Test error'],
    ['TestErrorIfUnset: UNSET_VAR', 'RESULT=${UNSET_VAR?Test error}', 'required variable UNSET_VAR is missing a value: Test error'],
  ])('%s', (_name, src, message) => {
    expect(parseDotenv(src, undefined, vars())).toEqual({ ok: false, line: 1, column: 8, message });
  });
});

describe('parseDotenv: surge cases', () => {
  it('reads compose-style files', () => {
    const src = [
      '# comment',
      '',
      'A=1',
      'export B = two ',
      'C="quoted # not comment"',
      "D='lit ${A}'",
      'E=${A}-x # comment',
      'F="line1\\nline2"',
      'G=',
      'H="multi',
      'line"',
      'FROM_ENV',
      'I=${OUTER:-dflt}',
    ].join('\n');
    expect(parse(src, mapOf({ FROM_ENV: 'env!' }))).toEqual({
      A: '1',
      B: 'two',
      C: 'quoted # not comment',
      D: 'lit ${A}',
      E: '1-x',
      F: 'line1\nline2',
      G: '',
      H: 'multi\nline',
      FROM_ENV: 'env!',
      I: 'dflt',
    });
  });

  it('\\$ in double quotes is a literal dollar, never expanded', () => {
    expect(parse('A="p\\$HOME"\nB="\\${X:-d}"\nC="$$lit"', mapOf({ HOME: '/root' }))).toEqual({ A: 'p$HOME', B: '${X:-d}', C: '$lit' });
  });

  it.each([
    // compose reads a last line without a newline as a value with an empty name: surge reads the bare KEY it is
    ['a bare KEY on the last line, without a newline', 'A=1\nFROM_ENV', { A: '1', FROM_ENV: 'env!' }],
    ['CRLF line endings', 'A=1\r\nB="2"\r\nFROM_ENV\r\n', { A: '1', B: '2', FROM_ENV: 'env!' }],
    ['text after a closing quote is read as another statement', 'A="1" B=2', { A: '1', B: '2' }],
    ['"\\0" without three octal digits (or above 255) stays as written', 'A="\\0\\01\\012\\0128\\0400\\01234"', { A: '\\0\\01\\012\\0128\\0400S4' }],
    ['a name may start with a digit', '1A=x', { '1A': 'x' }],
    ['" #" right after "=" is the value (leading space is skipped first)', 'A= #x', { A: '#x' }],
    ['a tab before "#" does not start a comment', 'A=b\t#c', { A: 'b\t#c' }],
  ])('%s', (_name, src, expected) => {
    expect(parse(src, mapOf({ FROM_ENV: 'env!' }))).toEqual(expected);
  });

  it('locates problems by line and column, quoting no value', () => {
    expect(parseDotenv('OK=1\n  A B=x')).toEqual({ ok: false, line: 2, column: 3, message: 'a variable name cannot contain a space' });
    expect(parseDotenv('OK=1\nPASSWORD="s3cret\nmore')).toEqual({ ok: false, line: 2, column: 10, message: 'unterminated quoted value' });
    expect(parseDotenv('A=1\nB="x\ny"\nC=${D:?need D}')).toEqual({ ok: false, line: 4, column: 3, message: 'required variable D is missing a value: need D' });
  });

  it('entries carry their line', () => {
    const r = parseDotenv('A=1\n\nB="x\ny"\nC=3');
    expect(r.ok && r.entries.map((e) => [e.key, e.line])).toEqual([['A', 1], ['B', 3], ['C', 5]]);
  });
});

describe('parseRawEnv (docker --env-file, env_file format = "raw")', () => {
  it('takes values as written', () => {
    const r = parseRawEnv('\uFEFF# c\n  A="quoted" # not a comment\nB=${X}\r\nC=\nBARE\nMISSING\n\n', mapOf({ BARE: 'env' }));
    expect(entries(r)).toEqual({ A: '"quoted" # not a comment', B: '${X}', C: '', BARE: 'env' });
  });

  it('refuses a name with white space or no name', () => {
    expect(parseRawEnv('A B=1')).toEqual({ ok: false, line: 1, column: 1, message: 'a variable name cannot contain white space' });
    expect(parseRawEnv('ok=1\n =1')).toEqual({ ok: false, line: 2, column: 2, message: 'no variable name before "="' });
  });
});

describe('parseDotenv: bounded time', () => {
  const timed = (f: () => unknown): number => {
    const start = performance.now();
    f();
    return performance.now() - start;
  };
  it.each([
    ['a 10 MB unquoted value', `A=${'x'.repeat(10_000_000)}`],
    ['a 10 MB double-quoted value', `A="${'x'.repeat(10_000_000)}"`],
    ['an unterminated 10 MB quoted value', `A="${'\\x'.repeat(5_000_000)}`],
    ['a 10 MB name', `${'A'.repeat(10_000_000)}=1`],
    ['1 MB of escapes', `A="${'\\n\\$\\0'.repeat(150_000)}"`],
    ['1 MB of "$" in a value', `A=${'$'.repeat(1_000_000)}`],
    ['200,000 lines', 'A=1\n# c\n'.repeat(100_000)],
    ['200,000 comment lines', '#\n'.repeat(200_000)],
    ['1 MB of " #"', `A=${' #'.repeat(500_000)}`],
  ])('%s', (_name, src) => {
    expect(timed(() => parseDotenv(src))).toBeLessThan(5000);
  });
});
