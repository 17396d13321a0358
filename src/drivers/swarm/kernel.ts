// What the manager's kernel can do for a Swarm, when surge can tell: only when the manager runs on this machine (a
// unix socket, and the engine reports this kernel's release). A Swarm client sees none of it otherwise: Docker creates
// an encrypted overlay where there is no ESP and then drops all traffic between nodes; without IPVS, service VIPs and
// the ingress mesh carry nothing. Both fail in silence (docs/swarm-api-notes.md).
import { existsSync, readFileSync } from 'node:fs';
import { release } from 'node:os';
import { gunzipSync } from 'node:zlib';
import type { ObservedSwarm } from '../../model/observed.js';

export type KernelFacts = ObservedSwarm['kernel'];

/** y or m in the kernel's own config: built in, or a module it can load; null when the config does not say. */
export function configHas(config: string, option: string): boolean | null {
  const m = new RegExp(`^(?:${option}=([ym])|# ${option} is not set)$`, 'm').exec(config);
  if (!m) return null;
  return m[1] !== undefined;
}

function readConfig(): string | null {
  try {
    return gunzipSync(readFileSync('/proc/config.gz')).toString('utf8');
  } catch {
    try {
      return readFileSync(`/boot/config-${release()}`, 'utf8');
    } catch {
      return null;
    }
  }
}

/** A module loaded now, or one the kernel could load (its file or the built-in list names it). */
function moduleThere(name: string, file: string): boolean {
  if (existsSync(`/sys/module/${name}`)) return true;
  const dir = `/lib/modules/${release()}`;
  try {
    if (readFileSync(`${dir}/modules.builtin`, 'utf8').includes(`/${file}.ko`)) return true;
  } catch {
    /* no module list */
  }
  return ['', '.xz', '.zst', '.gz'].some((ext) => existsSync(`${dir}/${file}.ko${ext}`));
}

function decide(config: string | null, option: string, module: string, file: string): boolean | null {
  if (moduleThere(module, file)) return true;
  if (config !== null) return configHas(config, option);
  return null;
}

/** The facts for an engine at `endpoint` whose kernel is `engineKernel` (from /info). */
export function kernelFacts(endpoint: string, engineKernel: string | null): KernelFacts {
  const local = endpoint.startsWith('unix://') && engineKernel !== null && engineKernel === release();
  if (!local) return { esp: null, ipvs: null, release: engineKernel };
  const config = readConfig();
  return {
    esp: decide(config, 'CONFIG_INET_ESP', 'esp4', 'kernel/net/ipv4/esp4'),
    ipvs: decide(config, 'CONFIG_IP_VS', 'ip_vs', 'kernel/net/netfilter/ipvs/ip_vs'),
    release: engineKernel,
  };
}
