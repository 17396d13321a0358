// Interpolation, case for case as compose-spec/compose-go states it: template/template_test.go and
// interpolation/interpolation_test.go (each row names its compose-go test), then surge's own cases and the
// hardening ones (bounded time and nesting, no secret values in messages).
import { describe, expect, it } from 'vitest';
import { interpolate, interpolateTree, MAX_NESTING, type Lookup } from '../../../../src/planner/load/interpolate.js';

const mapOf =
  (env: Record<string, string>): Lookup =>
  (k) =>
    Object.hasOwn(env, k) ? env[k] : undefined;

// template_test.go's `defaults`
const templateDefaults = mapOf({ FOO: 'first', BAR: '', JSON: '{"json":2}' });
// interpolation_test.go's `defaults`
const interpolationDefaults = mapOf({ USER: 'jenny', FOO: 'bar', count: '5', REQUIRED: 'true' });
const nothing: Lookup = () => undefined;

const value = (template: string, lookup: Lookup = templateDefaults): string => {
  const r = interpolate(template, lookup);
  if (!r.ok) throw new Error(`unexpected failure: ${r.message}`);
  return r.value;
};
const failure = (template: string, lookup: Lookup = templateDefaults): string => {
  const r = interpolate(template, lookup);
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r.value)}`);
  return r.message;
};

describe('compose-go template_test.go', () => {
  it.each([
    ['TestEscaped', '$${foo}', '${foo}'],
    ['TestSubstituteNoMatch', 'foo', 'foo'],
    ['TestUnescaped', 'a $ string', 'a $ string'],
    ['TestUnescaped', '^REGEX$', '^REGEX$'],
    ['TestUnescaped', '$}', '$}'],
    ['TestUnescaped', '$', '$'],
    ['TestNonBraced', '$FOO-bar', 'first-bar'],
    ['TestNoValueNoDefault', 'This ${missing} var', 'This  var'],
    ['TestNoValueNoDefault', 'This ${BAR} var', 'This  var'],
    ['TestValueNoDefault', 'This $FOO var', 'This first var'],
    ['TestValueNoDefault', 'This ${FOO} var', 'This first var'],
    ['TestNoValueWithDefault', 'ok ${missing:-def}', 'ok def'],
    ['TestNoValueWithDefault', 'ok ${missing-def}', 'ok def'],
    ['TestEmptyValueWithSoftDefault', 'ok ${BAR:-def}', 'ok def'],
    ['TestValueWithSoftDefault', 'ok ${FOO:-def}', 'ok first'],
    ['TestEmptyValueWithHardDefault', 'ok ${BAR-def}', 'ok '],
    ['TestPresentValueWithUnset', 'ok ${UNSET_VAR:+presence_value}', 'ok '],
    ['TestPresentValueWithUnset2', 'ok ${UNSET_VAR+presence_value}', 'ok '],
    ['TestPresentValueWithNonEmpty', 'ok ${FOO:+presence_value}', 'ok presence_value'],
    ['TestPresentValueAndNonEmptyWithNonEmpty', 'ok ${FOO+presence_value}', 'ok presence_value'],
    ['TestPresentValueWithSet', 'ok ${BAR+presence_value}', 'ok presence_value'],
    ['TestPresentValueAndNotEmptyWithSet', 'ok ${BAR:+presence_value}', 'ok '],
    ['TestNonAlphanumericDefault', 'ok ${BAR:-/non:-alphanumeric}', 'ok /non:-alphanumeric'],
    ['TestInterpolationExternalInterference 0', '-ok ${BAR:-defaultValue}', '-ok defaultValue'],
    ['TestInterpolationExternalInterference 1', '+ok ${UNSET:-${BAR-defaultValue}}', '+ok '],
    ['TestInterpolationExternalInterference 2', '-ok ${FOO:-defaultValue}', '-ok first'],
    ['TestInterpolationExternalInterference 3', ':-ok ${UNSET-defaultValue}', ':-ok defaultValue'],
    ['TestInterpolationExternalInterference 4', ':-ok ${BAR-defaultValue}', ':-ok '],
    ['TestInterpolationExternalInterference 5', ':?ok ${BAR-defaultValue}', ':?ok '],
    ['TestInterpolationExternalInterference 6', ':?ok ${BAR:-defaultValue}', ':?ok defaultValue'],
    ['TestInterpolationExternalInterference 7', ':+ok ${BAR:-defaultValue}', ':+ok defaultValue'],
    ['TestInterpolationExternalInterference 8', '+ok ${BAR-defaultValue}', '+ok '],
    ['TestInterpolationExternalInterference 9', '?ok ${BAR:-defaultValue}', '?ok defaultValue'],
    ['TestDefaultsWithNestedExpansion', 'ok ${UNSET_VAR-$FOO}', 'ok first'],
    ['TestDefaultsWithNestedExpansion', 'ok ${UNSET_VAR-${FOO}}', 'ok first'],
    ['TestDefaultsWithNestedExpansion', 'ok ${UNSET_VAR-${FOO} ${FOO}}', 'ok first first'],
    ['TestDefaultsWithNestedExpansion', 'ok ${BAR:-$FOO}', 'ok first'],
    ['TestDefaultsWithNestedExpansion', 'ok ${BAR:-${FOO}}', 'ok first'],
    ['TestDefaultsWithNestedExpansion', 'ok ${BAR:-${FOO} ${FOO}}', 'ok first first'],
    ['TestDefaultsWithNestedExpansion', 'ok ${BAR+$FOO}', 'ok first'],
    ['TestDefaultsWithNestedExpansion', 'ok ${BAR+$FOO ${FOO:+second}}', 'ok first second'],
    ['TestDefaultsForMandatoryVariables', 'ok ${FOO:?err}', 'ok first'],
    ['TestDefaultsForMandatoryVariables', 'ok ${FOO?err}', 'ok first'],
    ['TestDefaultsForMandatoryVariables', 'ok ${BAR?err}', 'ok '],
    ['TestSubstituteWithReplacementFunc (DefaultPattern)', 'ok ${SUBDOMAIN:-redis}.${FOO:?}', 'ok redis.first'],
    ['TestPrecedence', '${UNSET_VAR-myerror?msg}', 'myerror?msg'],
    ['TestPrecedence', '${FOO?bar-baz}', 'first'],
    ['TestPrecedence', '${BAR:-default_value_for_empty_var}', 'default_value_for_empty_var'],
    ['TestPrecedence', '${UNSET_VAR-default_value_for_unset_var}', 'default_value_for_unset_var'],
    ['TestNoValueWithCurlyBracesDefault', 'ok ${missing:-{"json":1}}', 'ok {"json":1}'],
    ['TestNoValueWithCurlyBracesDefault', 'ok ${missing-{"json":1}}', 'ok {"json":1}'],
    ['TestValueWithCurlyBracesDefault', 'ok ${JSON:-{"json":1}}', 'ok {"json":2}'],
    ['TestValueWithCurlyBracesDefault', 'ok ${JSON-{"json":1}}', 'ok {"json":2}'],
  ])('%s: %s → %j', (_test, template, expected) => {
    expect(value(template)).toBe(expected);
  });

  it.each(['${', '${}', '${ }', '${ foo}', '${foo }', '${foo!}'])('TestInvalid: %j is an invalid template', (template) => {
    expect(failure(template)).toMatch(/^invalid interpolation format: /);
  });

  it.each([
    ['TestMandatoryVariableErrors', 'not ok ${UNSET_VAR:?Mandatory Variable Unset}', 'required variable UNSET_VAR is missing a value: Mandatory Variable Unset'],
    ['TestMandatoryVariableErrors', 'not ok ${BAR:?Mandatory Variable Empty}', 'required variable BAR is missing a value: Mandatory Variable Empty'],
    ['TestMandatoryVariableErrors', 'not ok ${UNSET_VAR:?}', 'required variable UNSET_VAR is missing a value'],
    ['TestMandatoryVariableErrors', 'not ok ${UNSET_VAR?Mandatory Variable Unset}', 'required variable UNSET_VAR is missing a value: Mandatory Variable Unset'],
    ['TestMandatoryVariableErrors', 'not ok ${UNSET_VAR?}', 'required variable UNSET_VAR is missing a value'],
    ['TestMandatoryVariableErrorsWithNestedExpansion', 'not ok ${UNSET_VAR:?Mandatory Variable ${FOO}}', 'required variable UNSET_VAR is missing a value: Mandatory Variable first'],
    ['TestMandatoryVariableErrorsWithNestedExpansion', 'not ok ${UNSET_VAR?Mandatory Variable ${FOO}}', 'required variable UNSET_VAR is missing a value: Mandatory Variable first'],
    ['TestPrecedence', '${UNSET_VAR?bar-baz}', 'required variable UNSET_VAR is missing a value: bar-baz'],
  ])('%s: %s fails', (_test, template, message) => {
    expect(failure(template)).toBe(message);
  });

  // The operator is the first one after the name; the rest of the text is the operand, whatever it contains.
  it.each([
    ['Error when EMPTY or UNSET', '${VARNAME:?val?ue}', nothing, { error: 'val?ue' }],
    ['Error when UNSET 1', '${VARNAME?val:?ue}', nothing, { error: 'val:?ue' }],
    ['Error when UNSET 2', '${VARNAME?va-lu+e:?e}', nothing, { error: 'va-lu+e:?e' }],
    ['Error when UNSET 3', '${VARNAME?va+lu-e:?e}', nothing, { error: 'va+lu-e:?e' }],
    ['Default when EMPTY or UNSET', '${VARNAME:-value}', nothing, { value: 'value' }],
    ['Default when UNSET 1', '${VARNAME-va:-lu:?e}', nothing, { value: 'va:-lu:?e' }],
    ['Default when UNSET 2', '${VARNAME-va+lu?e}', nothing, { value: 'va+lu?e' }],
    ['Default when UNSET 3', '${VARNAME-va?lu+e}', nothing, { value: 'va?lu+e' }],
    ['Default when NOT EMPTY', '${VARNAME:+va:?lu:-e}', mapOf({ VARNAME: 'x' }), { value: 'va:?lu:-e' }],
    ['Default when SET 1', '${VARNAME+va:+lue}', mapOf({ VARNAME: 'x' }), { value: 'va:+lue' }],
    ['Default when SET 2', '${VARNAME+va?lu-e}', mapOf({ VARNAME: 'x' }), { value: 'va?lu-e' }],
    ['Default when SET 3', '${VARNAME+va-lu?e}', mapOf({ VARNAME: 'x' }), { value: 'va-lu?e' }],
  ])('TestSubstitutionFunctionChoice %s: %s', (_name, template, lookup, expected) => {
    if ('error' in expected) expect(failure(template, lookup)).toBe(`required variable VARNAME is missing a value: ${expected.error}`);
    else expect(value(template, lookup)).toBe(expected.value);
  });

  it('TestLazyDefaultDoesNotWarn: an unused alternative is not expanded', () => {
    const unset: string[] = [];
    expect(interpolate('${A:+${A},}B', templateDefaults, (n) => unset.push(n))).toEqual({ ok: true, value: 'B' });
    expect(unset).toEqual([]);
  });

  it('TestLazyDefaultWarnsWhenUsed: a used default is, and warns', () => {
    const unset: string[] = [];
    expect(interpolate('${A:-${B}}', templateDefaults, (n) => unset.push(n))).toEqual({ ok: true, value: '' });
    expect(unset).toEqual(['B']);
  });

  it('TestLazyRequiredMessageDoesNotWarn: the message of a satisfied ${A?…} is not expanded', () => {
    const unset: string[] = [];
    expect(interpolate('${A?${B}}', mapOf({ A: 'value' }), (n) => unset.push(n))).toEqual({ ok: true, value: 'value' });
    expect(unset).toEqual([]);
  });
});

describe('compose-go interpolation_test.go', () => {
  it('TestInterpolate: every string of a tree', () => {
    const tree = { servicea: { image: 'example:${USER}', volumes: ['$FOO:/target'], logging: { driver: '${FOO}', options: { user: '$USER' } } } };
    expect(interpolateTree(tree, interpolationDefaults, () => expect.unreachable())).toEqual({
      servicea: { image: 'example:jenny', volumes: ['bar:/target'], logging: { driver: 'bar', options: { user: 'jenny' } } },
    });
  });

  it('shareUnchanged: lists and tables without a changed string come back as they are, the others copied; the input is never changed', () => {
    const tree = { a: { image: 'plain', cmd: ['x', 'y'] }, b: { image: '$FOO', ports: ['80'] }, c: ['keep', '${USER}'], d: [{ e: 1 }] };
    const before = structuredClone(tree);
    const shared = interpolateTree(tree, interpolationDefaults, () => expect.unreachable(), undefined, undefined, true) as typeof tree;
    expect(shared).toEqual({ a: { image: 'plain', cmd: ['x', 'y'] }, b: { image: 'bar', ports: ['80'] }, c: ['keep', 'jenny'], d: [{ e: 1 }] });
    expect(tree).toEqual(before);
    expect(shared).not.toBe(tree);
    expect(shared.a).toBe(tree.a);
    expect(shared.d).toBe(tree.d);
    expect(shared.b).not.toBe(tree.b);
    expect(shared.b.ports).toBe(tree.b.ports);
    expect(shared.c).not.toBe(tree.c);
    const untouched = { a: { b: ['c'] } };
    expect(interpolateTree(untouched, interpolationDefaults, () => expect.unreachable(), undefined, undefined, true)).toBe(untouched);
    // By default every list and table is a copy.
    const copied = interpolateTree(untouched, interpolationDefaults, () => expect.unreachable()) as typeof untouched;
    expect(copied).toEqual(untouched);
    expect(copied.a).not.toBe(untouched.a);
    expect(copied.a.b).not.toBe(untouched.a.b);
  });

  it('TestInvalidInterpolation: "${" is an error at its path', () => {
    const errors: [unknown, string][] = [];
    interpolateTree({ servicea: { image: '${' } }, interpolationDefaults, (p, m) => errors.push([p, m]));
    expect(errors).toEqual([[['servicea', 'image'], 'invalid interpolation format: "${" is not followed by a variable name (character 1); write "$$" for a literal "$"']]);
  });

  it.each([
    ['{{{ ${FOO:-foo_} }}}', '{{{ foo_ }}}'],
    ['{{{ ${FOO:-foo-bar-value} }}}', '{{{ foo-bar-value }}}'],
    ['{{{ ${FOO:-foo?bar?value} }}}', '{{{ foo?bar?value }}}'],
    ['{{{ ${FOO:-foo:?bar:?value} }}}', '{{{ foo:?bar:?value }}}'],
    ['{{{ ${FOO:-foo} ${BAR:-DEFAULT_VALUE} }}}', '{{{ foo DEFAULT_VALUE }}}'],
    ['{{{ ${BAR} }}}', '{{{  }}}'],
    ['${FOO:-baz} }}}', 'baz }}}'],
    ['${FOO-baz} }}}', 'baz }}}'],
    ['${FOO:-${BAR:-${ZOT:-qix}}}', 'qix'],
    ['${FOO:-${BAR:-x}_test_${BAR:-y}}', 'x_test_y'],
    ['${FOO:-${BAR:-x}_test}', 'x_test'],
    ['${FOO:-${BAR:-${ZOT:-x}}_test}', 'x_test'],
  ])('TestValidUnexistentInterpolation: %s → %s', (template, expected) => {
    expect(value(template, nothing)).toBe(expected);
  });

  it.each([
    ['{{{ ${FOO:?foo_} }}}', 'foo_'],
    ['{{{ ${FOO:?foo-bar-value} }}}', 'foo-bar-value'],
    ['{{{ ${FOO:?foo} ${BAR:-DEFAULT_VALUE} }}}', 'foo'],
    ['${FOO:?foo} ${BAR:?bar}', 'foo'],
    ['${FOO:?baz} }}}', 'baz'],
    ['${FOO?baz} }}}', 'baz'],
  ])('TestValidUnexistentInterpolation: %s fails', (template, message) => {
    expect(failure(template, nothing)).toBe(`required variable FOO is missing a value: ${message}`);
  });

  it.each([
    ['{{{ ${FOO:-foo_} }}}', '{{{ bar }}}'],
    ['{{{ ${FOO:-foo-bar-value} }}}', '{{{ bar }}}'],
    ['{{{ ${FOO:-foo} ${BAR:-DEFAULT_VALUE} }}}', '{{{ bar DEFAULT_VALUE }}}'],
    ['{{{ ${BAR} }}}', '{{{  }}}'],
    ['${FOO:-baz} }}}', 'bar }}}'],
    ['${FOO-baz} }}}', 'bar }}}'],
    ['{{{ ${FOO:-foo} ${USER:-bar} }}}', '{{{ bar jenny }}}'],
    ['{{{ ${USER} }}}', '{{{ jenny }}}'],
  ])('TestValidExistentInterpolation: %s → %s', (template, expected) => {
    expect(value(template, interpolationDefaults)).toBe(expected);
  });
});

describe('interpolate: surge cases', () => {
  const lookup = mapOf({ SET: 'value', EMPTY: '', B: 'bee' });
  it.each([
    ['plain', 'plain'],
    ['${SET}', 'value'],
    ['$SET/x', 'value/x'],
    ['${UNSET}', ''],
    ['$UNSET', ''],
    ['${UNSET:-def}', 'def'],
    ['${EMPTY:-def}', 'def'],
    ['${EMPTY-def}', ''],
    ['${UNSET-def}', 'def'],
    ['${SET:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET+alt}', ''],
    ['${EMPTY?x}', ''],
    ['$$SET', '$SET'],
    ['cost: $$5', 'cost: $5'],
    ['$$$SET', '$value'],
    ['$$$$$', '$$$'],
    ['a$$$$b$', 'a$$b$'],
    ['${UNSET:-${B:-x}}', 'bee'],
    ['${UNSET:-${NOPE:-deep}}', 'deep'],
    ['$1 and $ and $-', '$1 and $ and $-'],
    ['a${SET}b${B}c', 'avaluebbeec'],
    ['${set}', ''],
    ['${UNSET:-}', ''],
    ['${UNSET:-$$}', '$'],
    ['${SET}}', 'value}'],
    // every `{` counts towards the closing `}`, as compose counts them
    ['${UNSET:-{a}b}', '{a}b'],
    ['${UNSET:-{x}', '{x'],
    // an operand that is never used is never parsed
    ['${SET:-${}', 'value'],
    ['line1 ${UNSET:-a}\nline2 ${UNSET:-b}', 'line1 a\nline2 b'],
  ])('%j → %j', (template, expected) => {
    expect(value(template, lookup)).toBe(expected);
  });

  it.each([
    ['${UNSET:?please set it}', 'required variable UNSET is missing a value: please set it'],
    ['${EMPTY:?}', 'required variable EMPTY is missing a value'],
    ['${UNSET?gone}', 'required variable UNSET is missing a value: gone'],
    ['${SET', 'invalid interpolation format: "${SET" is not closed by "}" (character 1); write "$$" for a literal "$"'],
    ['${}', 'invalid interpolation format: "${" is not followed by a variable name (character 1); write "$$" for a literal "$"'],
    ['${1A}', 'invalid interpolation format: "${" is not followed by a variable name (character 1); write "$$" for a literal "$"'],
    ['ab ${A B}', 'invalid interpolation format: unexpected " " after "${A" (character 4); write "$$" for a literal "$"'],
    ['${A:-x', 'invalid interpolation format: "${A:-" is not closed by "}" on the same line (character 1); write "$$" for a literal "$"'],
    // compose's `.*` does not cross a line: a default cannot span lines
    ['${A:-x\n}', 'invalid interpolation format: "${A:-" is not closed by "}" on the same line (character 1); write "$$" for a literal "$"'],
    ['${A:-${B}', 'invalid interpolation format: "${B" is not closed by "}" (character 6); write "$$" for a literal "$"'],
  ])('%j fails', (template, message) => {
    expect(failure(template, lookup)).toBe(message);
  });

  it('reports unset variables substituted with empty', () => {
    const unset: string[] = [];
    interpolate('${A}$B ${SET} ${C:-x} ${D-}', mapOf({ SET: 'x' }), (n) => unset.push(n));
    expect(unset).toEqual(['A', 'B']);
  });

  it('walks trees and reports failures by path', () => {
    const errors: [unknown, string][] = [];
    const date = new Date(0);
    const out = interpolateTree({ a: ['${SET}', 1, { b: '${X:?need X}' }], d: date, t: true }, lookup, (p, m) => errors.push([p, m]));
    expect(out).toEqual({ a: ['value', 1, { b: '${X:?need X}' }], d: date, t: true });
    expect(errors).toEqual([[['a', 2, 'b'], 'required variable X is missing a value: need X']]);
  });

  it('a required-variable message never shows the value of a secret-looking variable', () => {
    const env = mapOf({ DB_PASSWORD: 'hunter2', API_TOKEN: 't0k', HOST: 'db' });
    expect(failure('${X:?cannot reach $HOST with ${DB_PASSWORD} / ${API_TOKEN:-none}}', env)).toBe(
      'required variable X is missing a value: cannot reach db with *** / ***',
    );
  });
});

describe('interpolate: bounded time and depth', () => {
  const timed = <T>(f: () => T): { result: T; ms: number } => {
    const start = performance.now();
    const result = f();
    return { result, ms: performance.now() - start };
  };

  it('40,000 nested defaults give a nesting error quickly, not a stack overflow', () => {
    const deep = '${A:-'.repeat(40_000) + 'x' + '}'.repeat(40_000);
    const { result, ms } = timed(() => interpolate(deep, nothing));
    expect(result).toEqual({ ok: false, message: `interpolation nested deeper than ${MAX_NESTING} levels` });
    expect(ms).toBeLessThan(5000);
  });

  it('nesting up to the cap expands', () => {
    const ok = '${A:-'.repeat(MAX_NESTING) + 'x' + '}'.repeat(MAX_NESTING);
    expect(interpolate(ok, nothing)).toEqual({ ok: true, value: 'x' });
  });

  it('40,000 nested defaults under a set variable are never expanded', () => {
    const deep = '${A:-'.repeat(40_000) + 'x' + '}'.repeat(40_000);
    const { result, ms } = timed(() => interpolate(deep, mapOf({ A: 'set' })));
    expect(result).toEqual({ ok: true, value: 'set' });
    expect(ms).toBeLessThan(5000);
  });

  it.each([
    ['a 10 MB line without variables', 'x'.repeat(10_000_000) + '$'],
    ['a 10 MB line of "$"', '$'.repeat(10_000_000)],
    ['3 MB of "$$x"', '$$x'.repeat(1_000_000)],
    ['1 MB of "$A"', '$A'.repeat(500_000)],
    ['1 MB of "${A:-x}" on one line', '${A:-x}'.repeat(150_000)],
    ['1 MB of "${A:-{" without a closing brace', '${A:-{'.repeat(170_000) + '}'],
    ['1 MB of "{" inside one default', '${A:-' + '{'.repeat(1_000_000) + '}'],
    ['200,000 short lines of defaults', '${A:-x}\n'.repeat(200_000)],
    ['a 1 MB line of "${A:-" then "}" at the end of each of 64 levels', '${A:-'.repeat(64) + 'y'.repeat(1_000_000) + '}'.repeat(64)],
  ])('%s: bounded time', (_name, template) => {
    const { result, ms } = timed(() => interpolate(template, nothing));
    expect(typeof result.ok).toBe('boolean');
    expect(ms).toBeLessThan(5000);
  });

  it('1 MB of "${A:-x" without any "}" fails at the first one, quickly', () => {
    const { result, ms } = timed(() => interpolate('${A:-x'.repeat(170_000), nothing));
    expect(result.ok).toBe(false);
    expect(ms).toBeLessThan(5000);
  });
});
