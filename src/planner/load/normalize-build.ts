// A service's `build`: what the engine's classic builder (the /build API surge drives) applies, and a located warning
// for each key only BuildKit honours (ssh, secrets, cache_to, several platforms…), never a silent drop.
import type { Build, Ulimit } from '../../model/model.js';
import type { RawService } from './boltfile-schema.js';
import { parseExtraHosts } from './extra-hosts.js';
import { resolveHostPath } from './mounts.js';
import { bytes } from './normalize-container.js';
import { keyValues, type NormalizeContext } from './normalize-forms.js';
import type { Path } from './schema-walk.js';

const BUILDKIT_ONLY = ['ssh', 'secrets', 'cache_to', 'additional_contexts', 'entitlements', 'provenance', 'sbom', 'dockerfile_inline', 'no_cache_filter', 'privileged'] as const;

function emptyBuild(context: string): Build {
  return { context, dockerfile: null, args: {}, target: null, labels: {}, no_cache: false, cache_from: [], tags: [], network: null, platforms: [], extra_hosts: [], shm_size_bytes: null, pull: false, isolation: null, ulimits: {} };
}

export function build(raw: RawService['build'], platform: string | undefined, path: Path, ctx: NormalizeContext): Build | null {
  if (raw === undefined) return null;
  if (typeof raw === 'string') return emptyBuild(resolveHostPath(raw, ctx.workingDir));
  for (const key of BUILDKIT_ONLY) {
    if (raw[key] !== undefined) ctx.warn([...path, key], "needs BuildKit (docker buildx); the engine's classic builder that surge drives does not apply it");
  }
  const platforms = raw.platforms ?? [];
  if (platform !== undefined && platforms.length && !platforms.includes(platform)) {
    ctx.error([...path, 'platforms'], `build.platforms must include the service's platform "${platform}"`);
  } else if (platforms.length > 1) {
    const built = platform ?? platforms[0];
    ctx.warn([...path, 'platforms'], `the classic builder builds one platform: surge builds ${built} (several need BuildKit)`);
  }
  let extraHosts: string[] = [];
  if (raw.extra_hosts !== undefined) {
    const hosts = parseExtraHosts(raw.extra_hosts);
    if (hosts.ok) extraHosts = hosts.value;
    else ctx.error([...path, 'extra_hosts', hosts.at], hosts.message);
  }
  const ulimits: Record<string, Ulimit> = {};
  for (const [k, v] of Object.entries(raw.ulimits ?? {})) ulimits[k] = typeof v === 'number' ? { soft: v, hard: v } : v;
  return {
    ...emptyBuild(resolveHostPath(raw.context ?? '.', ctx.workingDir)),
    dockerfile: raw.dockerfile ?? null,
    args: keyValues(raw.args, [...path, 'args'], ctx, 'build arg', true),
    target: raw.target ?? null,
    labels: keyValues(raw.labels, [...path, 'labels'], ctx, 'label', false),
    no_cache: raw.no_cache ?? false,
    cache_from: raw.cache_from ?? [],
    tags: raw.tags ?? [],
    network: raw.network ?? null,
    platforms,
    extra_hosts: extraHosts,
    shm_size_bytes: bytes(raw.shm_size, [...path, 'shm_size'], ctx),
    pull: raw.pull ?? false,
    isolation: raw.isolation ?? null,
    ulimits,
  };
}
