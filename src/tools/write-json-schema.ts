// npm run schema: regenerates schemas/boltfile.schema.json from the zod schema.
import { writeFileSync } from 'node:fs';
import { boltfileJsonSchemaText } from '../planner/load/json-schema.js';

const target = new URL('../../schemas/boltfile.schema.json', import.meta.url);
writeFileSync(target, boltfileJsonSchemaText());
process.stdout.write(`wrote ${target.pathname}\n`);
