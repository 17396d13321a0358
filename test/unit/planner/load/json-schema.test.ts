import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { boltfileJsonSchema, boltfileJsonSchemaText } from '../../../../src/planner/load/json-schema.js';

describe('schemas/boltfile.schema.json', () => {
  it('is up to date with the zod schema (run `npm run schema` after changing it)', () => {
    const checkedIn = readFileSync(new URL('../../../../schemas/boltfile.schema.json', import.meta.url), 'utf8');
    expect(checkedIn).toBe(boltfileJsonSchemaText());
  });

  it('describes services and allows x- keys', () => {
    const schema = boltfileJsonSchema() as { properties: Record<string, unknown>; patternProperties?: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['services', 'network', 'networks', 'volumes', 'project']));
    expect(schema.patternProperties).toEqual({ '^x-': {} });
  });
});
