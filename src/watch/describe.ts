// How a reconcile's work is summed up in one line (the `description` of a reconcile event).
import type { ExecuteResult } from '../api/execute.js';
import type { Action } from '../model/plan-types.js';
import type { WatchChange } from './events.js';

/** The applied actions (at most five named), recording each in `record` for the event's `changes`. */
export function describeActions(actions: Action[], done: Set<string>, record: WatchChange[]): string {
  const applied = actions.filter((a) => done.has(a.id) && a.kind !== 'image');
  record.push(...actions.filter((a) => done.has(a.id)).map((a) => ({ op: a.op, id: a.id, reason: a.reason })));
  if (!applied.length) return 'no changes';
  const parts = applied.slice(0, 5).map((a) => `${a.op} ${a.id} (${a.reason})`);
  if (applied.length > 5) parts.push(`+${applied.length - 5} more`);
  return parts.join('; ');
}

export function failures(r: ExecuteResult): string {
  return ` — FAILED: ${r.failed.map((f) => `${f.action.id}: ${f.error.message}`).join('; ')}${r.skipped.length ? ` (skipped: ${r.skipped.map((s) => s.action.id).join(', ')})` : ''}`;
}
