// What a Swarm task's reported state means. One rule each, shared by `ps`, the waits and the planner's notices.
// A Swarm has no "lost" state: when a node goes down the manager sets the desired state of its tasks to shutdown
// and starts replacements elsewhere, while the task's last report (running) stays as it was.
import type { ObservedTask } from './observed.js';

/** Task states that will not change again. */
const FINAL = new Set(['complete', 'shutdown', 'failed', 'rejected', 'orphaned', 'remove']);

/** A task whose node went down while it ran: its last report still says running, but nothing runs it any more. */
export function isLostTask(t: ObservedTask): boolean {
  return t.nodeState === 'down' && t.desiredState !== 'running' && !FINAL.has(t.state);
}

/** The state `ps` shows: the reported one, or "lost". */
export function taskDisplayState(t: ObservedTask): string {
  return isLostTask(t) ? 'lost' : t.state;
}

export function isFinalTask(t: ObservedTask): boolean {
  return FINAL.has(t.state);
}

/** The task is meant to run now (not an old or replaced one). */
export function isCurrentTask(t: ObservedTask): boolean {
  return t.desiredState === 'running' || t.desiredState === 'ready' || t.desiredState === 'complete';
}

/** Running and, where the service has a healthcheck, healthy: a Swarm reports "starting" until the check passes. */
export function isRunningTask(t: ObservedTask): boolean {
  return t.state === 'running' && t.desiredState === 'running' && t.nodeState !== 'down';
}

/** Started: running, or its container started and waits for its first healthy check. */
export function isStartedTask(t: ObservedTask): boolean {
  return (t.state === 'running' || t.state === 'starting') && t.desiredState === 'running' && t.nodeState !== 'down';
}
