import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boltfileSchema } from '../../../../src/planner/load/boltfile-schema.js';
import { loadRawDocument } from '../../../../src/planner/load/load-project.js';
import { parseBoltfile } from '../../../../src/planner/load/schema-parse.js';
import { prepareTree } from '../../../../src/planner/load/schema-walk.js';
import { findCorpus } from '../../../fixtures/corpus.js';

/** What a caller can see of a verdict: success, the parsed value with its key order, the issues in order. */
function seen(verdict: ReturnType<typeof boltfileSchema.safeParse>): unknown {
  if (verdict.success) return { ok: true, json: JSON.stringify(verdict.data) };
  return { ok: false, issues: verdict.error.issues.map((i) => JSON.stringify(i)) };
}

function expectSameVerdict(data: unknown): void {
  expect(seen(parseBoltfile(data))).toEqual(seen(boltfileSchema.safeParse(data)));
}

const repo = resolve(import.meta.dirname, '../../../..');

describe('parseBoltfile: the whole schema\'s verdict, service by service', () => {
  const corpus = findCorpus();
  const boltfiles = [
    ...readdirSync(corpus).filter((f) => f.endsWith('.toml')).map((f) => join(corpus, f)),
    ...readdirSync(join(repo, 'examples/bolt')).map((d) => join(repo, 'examples/bolt', d, 'Boltfile.toml')),
  ];

  it.each(boltfiles)('%s', (file) => {
    let data: Record<string, unknown>;
    try {
      data = loadRawDocument({ files: [file], cwd: repo, envFiles: [], env: {} }, { interpolate: true }).data;
    } catch {
      return; // a file the loader refuses before the schema (e.g. not TOML 1.0) says nothing about the schema
    }
    expectSameVerdict(prepareTree(boltfileSchema, data).data);
  });

  it.each([
    ['valid services sharing key sets', { project: 'p', services: { a: { image: 'x', command: ['sh'] }, b: { image: 'y', command: 'sh' }, c: { command: 'z', image: 'q' } } }],
    ['wrong types and unknown keys in services', { services: { a: { image: 1, bogus: true }, b: { ports: [{ target: 'x' }], restart: [] }, c: 'not a table' } }],
    ['root problems before and after services', { project: 3, driver: 'nope', services: { a: { image: 1 } }, networks: { n: { driver: 5 } }, extra: 1 }],
    ['services not a table', { services: ['a'] }],
    ['an empty services table', { services: {} }],
    ['no services', { project: 'p' }],
    ['nested tables of a service', { services: { a: { image: 'x', healthcheck: { test: ['CMD', 'true'], interval: '1s' }, deploy: { replicas: 'two' }, depends_on: { b: { condition: 'service_started' } } }, b: { image: 'y', depends_on: ['a'] } } }],
    ['a key named __proto__', JSON.parse('{"services":{"__proto__":{"image":"x"},"a":{"image":"y"}}}')],
    ['not a table at all', 'text'],
  ])('%s', (_, data) => expectSameVerdict(data));

  it('many distinct key sets (past the cache of narrowed schemas) keep the same verdict', () => {
    const keys = ['image', 'command', 'restart', 'hostname', 'user', 'working_dir', 'stop_signal', 'platform', 'pull_policy'];
    const services: Record<string, Record<string, string>> = {};
    for (let i = 0; i < 600; i++) services[`s${i}`] = Object.fromEntries(keys.filter((_, k) => (i >> k) & 1).map((k) => [k, i % 7 ? 'v' : (1 as unknown as string)]));
    expectSameVerdict({ services });
  });
});
