// surge's own version: recorded on every object it creates (surge.version) and in saved plans.
import { readFileSync } from 'node:fs';

/** Set by the bundler (scripts/bundle.mjs); undefined when running from sources (tests). */
declare const __SURGE_VERSION__: string | undefined;

let cached: string | null = null;

/** surge's own version. */
export function surgeVersion(): string {
  if (cached) return cached;
  if (typeof __SURGE_VERSION__ === 'string') return (cached = __SURGE_VERSION__);
  // From sources: the package.json of the checkout, two folders up from src/model/ (or build/model/).
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return (cached = pkg.version);
}
