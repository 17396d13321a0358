// Says what changed between the config a live object was created with and the desired one, in words:
// "env MODE changed", "image changed", "ports changed". Reads only canonical configs, never the engine.
import { isSensitiveKey, stableStringify, type Canonical } from '../model/config-hash.js';
import type { Change } from '../model/plan-types.js';

const FIELD_WORDS: Record<string, string> = {
  environment: 'env',
  stop_grace_period_ms: 'stop_grace_period',
  memory_limit_bytes: 'memory_limit',
};

function same(a: unknown, b: unknown): boolean {
  return stableStringify((a ?? null) as Canonical) === stableStringify((b ?? null) as Canonical);
}

export interface ConfigDiff {
  reasons: string[];
  changes: Change[];
}

export function diffConfigs(before: Record<string, unknown>, after: Record<string, unknown>): ConfigDiff {
  const reasons: string[] = [];
  const changes: Change[] = [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const key of keys) {
    const b = before[key];
    const a = after[key];
    if (same(b, a)) continue;
    if (key === 'environment' || key === 'labels') {
      const word = FIELD_WORDS[key] ?? key;
      const bo = (b ?? {}) as Record<string, string>;
      const ao = (a ?? {}) as Record<string, string>;
      for (const k of [...new Set([...Object.keys(bo), ...Object.keys(ao)])].sort()) {
        if (bo[k] === ao[k]) continue;
        const sensitive = isSensitiveKey(k);
        const verb = bo[k] === undefined ? 'added' : ao[k] === undefined ? 'removed' : 'changed';
        reasons.push(`${word} ${k} ${verb}`);
        // Not even digests of a secret leave the planner: a plan is printed in CI logs and saved to files.
        const hide = (v: string | undefined): string | undefined => (v === undefined || !sensitive ? v : '(sensitive)');
        changes.push({ path: `${key}.${k}`, before: hide(bo[k]), after: hide(ao[k]), sensitive });
      }
      continue;
    }
    const word = FIELD_WORDS[key] ?? key;
    reasons.push(b === undefined ? `${word} added` : a === undefined ? `${word} removed` : `${word} changed`);
    changes.push({ path: key, before: b, after: a, sensitive: false });
  }
  return { reasons, changes };
}

/** "env MODE changed, image changed, +2 more" */
export function summarizeReasons(reasons: string[], max = 3): string {
  if (reasons.length <= max) return reasons.join(', ');
  return `${reasons.slice(0, max).join(', ')}, +${reasons.length - max} more`;
}
