// compose's profiles, decided exactly as compose-go does (types.Project WithProfiles, WithServicesEnabled, and the
// loader's consistency check): a service without `profiles` is always enabled; one with profiles is enabled when one
// of them is active, or "*" is; naming a disabled service on the command line activates its profiles. Nothing else
// enables a service: a dependency on a service the profiles leave out is an error (or dropped when `required = false`),
// never a silent start.
import type { Service } from '../../model/model.js';

export function hasProfile(s: Pick<Service, 'profiles'>, active: readonly string[]): boolean {
  if (s.profiles.length === 0) return true;
  return active.includes('*') || s.profiles.some((p) => active.includes(p));
}

/** The enabled services' names and the active profiles once the named services' own profiles are added. */
export function enabledServices(services: Record<string, Service>, profiles: readonly string[], selected: readonly string[]): { enabled: Set<string>; profiles: string[] } {
  const active = [...profiles];
  for (const name of selected) {
    const s = services[name];
    if (s && !hasProfile(s, profiles)) for (const p of s.profiles) if (!active.includes(p)) active.push(p);
  }
  const enabled = new Set(Object.values(services).filter((s) => hasProfile(s, active)).map((s) => s.name));
  return { enabled, profiles: active };
}

/** "a,b" lists as COMPOSE_PROFILES writes them (blank entries dropped). */
export function profileList(text: string | undefined): string[] {
  return (text ?? '').split(',').map((p) => p.trim()).filter(Boolean);
}
