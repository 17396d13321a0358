// Stopping a replica's runs by process group. Groups are found afresh from the live processes that carry the runs'
// markers (so a killed wrapper or main process leaves nothing out of reach), signalled as a whole (children that
// cleared their environment are still in the group), and a group is only ever signalled while a process proven to
// be ours is in it or it has stayed alive since it was: a pid reused by someone else is never signalled.
import { EngineError } from '../../model/errors.js';
import { groupAlive, isSameProcess, ownProcessGroup, scanMarked } from './proc-info.js';
import { sleep } from '../../model/sleep.js';

export interface StopTarget {
  /** run ids whose processes are stopped, wherever their groups are */
  runs: ReadonlySet<string>;
  /** a record from before runs had ids: its wrapper's group, signalled only while the wrapper is provably the same */
  legacy: { pid: number; startTime: string } | null;
}

export interface StopResult {
  /** groups that were signalled */
  groups: number[];
  /** the grace period ran out and SIGKILL was needed */
  killed: boolean;
}

/** How long processes may take to go once SIGKILLed before surge says so instead of waiting forever. */
const AFTER_KILL_MS = 10_000;

/** The groups that hold the target's processes now. */
function currentGroups(target: StopTarget): Set<number> {
  const groups = new Set<number>();
  if (target.runs.size) for (const m of scanMarked()) if (target.runs.has(m.run)) groups.add(m.pgid);
  if (target.legacy && isSameProcess(target.legacy.pid, target.legacy.startTime)) groups.add(target.legacy.pid);
  return groups;
}

/**
 * Sends `signal` to every group of the target, waits up to `graceMs` for them to end, then SIGKILLs what is left.
 * The group surge itself runs in (a `surge down` started by one of the project's own processes) is never signalled.
 */
export async function stopGroups(target: StopTarget, signal: NodeJS.Signals, graceMs: number, log: (line: string) => void): Promise<StopResult> {
  const own = ownProcessGroup();
  const seen = new Set<number>();
  const skipped = new Set<number>();
  const send = (sig: NodeJS.Signals): void => {
    // Groups seen before stay signalled while they live: their pgid cannot be reused while any member is alive.
    const groups = new Set([...currentGroups(target), ...[...seen].filter(groupAlive)]);
    for (const g of groups) {
      if (g <= 1) continue;
      if (g === own) {
        if (!skipped.has(g)) log(`group ${g} is the one surge runs in: it is not signalled`);
        skipped.add(g);
        continue;
      }
      seen.add(g);
      try {
        process.kill(-g, sig);
      } catch {
        /* gone meanwhile */
      }
    }
  };
  const alive = (): boolean => [...currentGroups(target), ...seen].some((g) => !skipped.has(g) && groupAlive(g));
  send(signal);
  const deadline = Date.now() + graceMs;
  while (alive() && Date.now() < deadline) await sleep(50);
  let killed = false;
  if (alive()) {
    killed = true;
    log(`still running after ${graceMs / 1000} s: SIGKILL`);
    send('SIGKILL');
    const end = Date.now() + AFTER_KILL_MS;
    while (alive()) {
      if (Date.now() > end) throw new EngineError(`process groups ${[...seen].join(', ')} did not end ${AFTER_KILL_MS / 1000} s after SIGKILL`);
      await sleep(50);
      send('SIGKILL');
    }
  }
  return { groups: [...seen].sort((a, b) => a - b), killed };
}
