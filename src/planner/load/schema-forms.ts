// The small shapes the Boltfile schema is built from: scalars, lists, durations, sizes, key/value forms, and the
// marker for keys of the wider Bolt ecosystem that surge loads without applying.
import * as z from 'zod';

/** Marks a key the wider Bolt ecosystem uses and surge loads without applying (one warning each). */
export const ECOSYSTEM = 'x-surge-ecosystem';

export function eco(what: string): z.ZodOptional<z.ZodUnknown> {
  return z.unknown().optional().meta({ description: `Bolt ecosystem (${what}): loaded, not applied by surge`, [ECOSYSTEM]: true });
}

export function ecoKeys(keys: readonly string[], what: string): Record<string, z.ZodOptional<z.ZodUnknown>> {
  return Object.fromEntries(keys.map((k) => [k, eco(what)]));
}

/** A Bolt-ecosystem table where surge's own key has another form (e.g. Bolt's `[services.X.init]` beside compose's `init = true`). */
export function ecoTable(what: string): z.ZodRecord<z.ZodString, z.ZodUnknown> {
  return z.record(z.string(), z.unknown()).meta({ description: `Bolt ecosystem (${what}): loaded, not applied by surge`, [ECOSYSTEM]: true });
}

export const scalar = z.union([z.string(), z.number(), z.boolean()]);
export const stringList = z.array(z.string());
export const stringOrList = z.union([z.string(), stringList]);
/** "1s", "500ms", "1m30s", or integer seconds */
export const duration = z.union([z.string(), z.number()]).meta({ description: 'duration: "1s", "500ms", "1m30s" or seconds' });
/** "512m", "4Gi", "8GB", or bytes */
export const byteSize = z.union([z.string(), z.number()]).meta({ description: 'size: "512m", "4Gi", "8GB" or bytes' });
/** a number, or a string holding one (compose accepts both, for interpolated values) */
export const numeric = z.union([z.number(), z.string()]);
/** inline table, sub-table or dotted keys: { K = "v" }; or an array of "K=V" */
export const keyValues = z.union([z.record(z.string(), scalar), z.array(z.string())]);
/** compose's `external`: true, or the older { name = "…" } */
export const external = z.union([z.boolean(), z.strictObject({ name: z.string().optional() })]);
/** an octal file mode: 0o440 (TOML), 288, or "0440" */
export const fileMode = z.union([z.number().int().min(0), z.string()]).meta({ description: 'file mode: 0o440, or "0440"' });
