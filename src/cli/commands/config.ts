import { stringify } from 'smol-toml';
import { load, type GlobalArgs } from '../context.js';
import { out } from '../output.js';

/** TOML has no null: absent means "not set". */
function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (value && typeof value === 'object') {
    const outObj: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) outObj[k] = dropNulls(v);
    return outObj;
  }
  return value;
}

export async function run(args: GlobalArgs & { format?: 'json' | 'toml' }): Promise<number> {
  const { project } = load(args);
  const model = { name: project.name, services: project.services, networks: project.networks, volumes: project.volumes };
  // Through JSON first, so a value that must not be printed (a secret's content) shows as it serializes: "(sensitive)".
  if (args.format === 'toml') out(stringify(dropNulls(JSON.parse(JSON.stringify(model))) as Record<string, unknown>));
  else out(JSON.stringify(model, null, 2));
  return 0;
}
