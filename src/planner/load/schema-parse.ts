// The Boltfile schema's verdict on a document, as `boltfileSchema.safeParse` gives it, at a fraction of its cost for
// large projects. zod checks an object by running the schema of every key it declares, present or not: a service
// declares some 150 keys and uses a handful, so a 5,000-service file cost 750,000 schema runs (two allocations each),
// about 100 ms of parsing and as much again in garbage collection. Here each service is checked against the service
// schema narrowed (`pick`) to the keys it has: the same child schemas run on the same values, in the same order, and
// a key the service schema does not declare is still refused by the narrowed strict object, so the verdict, the issues
// and the parsed value are those of the whole schema. Narrowed schemas are cached by key set: services mostly share a
// few.
import * as z from 'zod';
import { boltfileSchema, serviceSchema } from './boltfile-schema.js';

type Verdict = ReturnType<typeof boltfileSchema.safeParse>;
type Issue = z.core.$ZodIssue;

const serviceShape = serviceSchema.shape as Record<string, z.ZodType>;
const serviceKeys = Object.keys(serviceShape);
/** keys a narrowed schema keeps whether present or not: those that are not plainly optional (a default, a must) */
const alwaysChecked = new Set(serviceKeys.filter((k) => (serviceShape[k] as unknown as { _zod: { optin?: string } })._zod.optin !== 'optional'));
/** the root keys zod checks before `services`: their issues come first, as in a whole parse */
const rootKeysBeforeServices = new Set(Object.keys(boltfileSchema.shape).slice(0, Object.keys(boltfileSchema.shape).indexOf('services')));
/** Past this many distinct key sets, services are checked against the whole schema (each narrowed one is compiled). */
const MAX_NARROWED = 256;
const narrowed = new Map<string, z.ZodType>();
/**
 * zod's compiled fast path, for large documents only: it writes each object schema's parser as source and compiles it
 * with `new Function` on first use, code no V8 cache keeps, so every command pays for it again. A no-op `up` of 100
 * services is ~4 ms faster without it; `plan` of 5,000 services ~13 ms slower (`node --cpu-prof`). Same verdict.
 */
const JIT_FROM_SERVICES = 1000;
const INTERPRETED = { jitless: true } as const;
const COMPILED = { jitless: false } as const;
/** `serviceSchema.pick`, typed for a mask built at run time (its static type wants the keys as literals) */
const pick = (mask: Record<string, true>): z.ZodType => (serviceSchema as unknown as { pick(mask: Record<string, true>): z.ZodType }).pick(mask);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

/** The service schema narrowed to the declared keys `service` has (in the schema's order), or the whole one. */
function schemaFor(service: unknown): z.ZodType {
  if (!isPlainObject(service)) return serviceSchema;
  // Looked up by the keys as written (services mostly list theirs in the same order): one short join per service.
  const written = Object.keys(service);
  const signature = written.join('\0');
  let schema = narrowed.get(signature);
  if (!schema) {
    if (narrowed.size >= MAX_NARROWED) return serviceSchema;
    const mask: Record<string, true> = {};
    for (const k of serviceKeys) if (alwaysChecked.has(k) || written.includes(k)) mask[k] = true;
    schema = pick(mask);
    narrowed.set(signature, schema);
  }
  return schema;
}

/** `boltfileSchema.safeParse(data)`, the same verdict, issues (in the same order) and parsed value. */
export function parseBoltfile(data: unknown): Verdict {
  const services = isPlainObject(data) ? data.services : undefined;
  // Anything unusual (no services table, not a table, symbol keys) goes the whole schema's way.
  if (!isPlainObject(data) || !isPlainObject(services) || Object.getOwnPropertySymbols(services).length) return boltfileSchema.safeParse(data, INTERPRETED);
  const names = Object.keys(services);
  const parse = names.length >= JIT_FROM_SERVICES ? COMPILED : INTERPRETED;
  const root = boltfileSchema.safeParse({ ...data, services: {} }, parse);
  const before: Issue[] = [];
  const after: Issue[] = [];
  if (!root.success) for (const issue of root.error.issues) (rootKeysBeforeServices.has(issue.path[0] as string) ? before : after).push(issue);
  const serviceIssues: Issue[] = [];
  const parsed: Record<string, unknown> = {};
  for (const name of names) {
    // zod's record skips these keys (assigning one to a plain object would replace its prototype).
    if (name === '__proto__') continue;
    const result = schemaFor(services[name]).safeParse(services[name], parse);
    if (result.success) parsed[name] = result.data;
    else for (const issue of result.error.issues) serviceIssues.push({ ...issue, path: ['services', name, ...issue.path] });
  }
  const issues = [...before, ...serviceIssues, ...after];
  if (issues.length) return { success: false, error: new z.ZodError(issues) } as Verdict;
  return { success: true, data: { ...root.data, services: parsed } } as Verdict;
}
