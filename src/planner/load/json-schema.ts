// schemas/boltfile.schema.json is generated from the zod schema, so the editor and the loader never disagree.
import * as z from 'zod';
import { boltfileSchema } from './boltfile-schema.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The user's `x-` keys are allowed wherever surge's own tables are closed. */
function allowExtensions(node: Json): Json {
  if (Array.isArray(node)) return node.map(allowExtensions);
  if (node && typeof node === 'object') {
    const out: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(node)) out[k] = allowExtensions(v);
    if (out.type === 'object' && out.additionalProperties === false && out.properties) out.patternProperties = { '^x-': {} };
    return out;
  }
  return node;
}

export function boltfileJsonSchema(): Json {
  const schema = z.toJSONSchema(boltfileSchema, { target: 'draft-2020-12', unrepresentable: 'any' }) as Json;
  const withId = { ...(schema as { [key: string]: Json }), $id: 'https://surge.dev/schemas/boltfile.schema.json' };
  return allowExtensions(withId);
}

export function boltfileJsonSchemaText(): string {
  return `${JSON.stringify(boltfileJsonSchema(), null, 2)}\n`;
}
