// Which files a `sync` rule copies or deletes for a batch of changed host paths.
import { existsSync, statSync } from 'node:fs';
import { posix, relative, sep } from 'node:path';
import type { SyncEntry } from '../api/driver-types.js';
import type { WatchRule } from '../model/model.js';

export interface SyncBatch {
  copy: SyncEntry[];
  remove: string[];
}

/** Maps host paths under `rule.path` to container paths under `rule.target`. */
export function syncBatch(rule: WatchRule, changed: string[]): SyncBatch {
  const copy: SyncEntry[] = [];
  const remove: string[] = [];
  const target = rule.target ?? rule.path;
  for (const hostPath of [...new Set(changed)].sort()) {
    const rel = relative(rule.path, hostPath);
    if (rel.startsWith('..')) continue;
    const containerPath = rel ? posix.join(target, rel.split(sep).join('/')) : target;
    if (!existsSync(hostPath)) remove.push(containerPath);
    else if (statSync(hostPath).isFile()) copy.push({ hostPath, containerPath });
  }
  return { copy, remove };
}
