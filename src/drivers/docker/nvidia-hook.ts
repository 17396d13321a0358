// Docker's built-in `nvidia` device driver (what `--gpus` and DeviceRequests use) is registered when the engine finds
// nvidia-container-runtime-hook on its PATH: the NVIDIA Container Toolkit installed, with or without an `nvidia`
// runtime configured. The engine API does not report it, so for an engine on this host surge looks for the same file.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export const NVIDIA_HOOK = 'nvidia-container-runtime-hook';

/** Where a daemon started by systemd or by hand looks, besides the caller's PATH. */
const ENGINE_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

export function findNvidiaHook(pathEnv: string = process.env.PATH ?? '', extraDirs: readonly string[] = ENGINE_PATH): string | null {
  const dirs = [...new Set([...pathEnv.split(delimiter).filter(Boolean), ...extraDirs])];
  for (const dir of dirs) {
    const file = join(dir, NVIDIA_HOOK);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not in this folder
    }
  }
  return null;
}

/** Only an engine reached through a unix socket runs on this host; for a remote one the answer is unknown (null). */
export function localNvidiaHook(endpoint: string, find: () => string | null = () => findNvidiaHook()): string | null {
  return endpoint.startsWith('unix://') ? find() : null;
}
