// What an observed replica's state means for its service. One rule each, shared by the planner, `up --wait` and
// watch's supervision, so they never disagree about a finished job or a crash.
import type { Project, Service } from '../model/model.js';
import type { ObservedContainer } from '../model/observed.js';
import { compareText } from '../model/order.js';

/** Whether any service waits for `service` to complete successfully: that is what makes it a one-shot job. */
export function isAwaitedToComplete(project: Project, service: string): boolean {
  return Object.values(project.services).some((o) => o.depends_on[service]?.condition === 'service_completed_successfully');
}

/**
 * A finished one-shot job, not drift: it exited 0, its restart policy does not run it again after a success, and the
 * project says it is meant to complete (another service waits for `service_completed_successfully` on it). A
 * long-running service stopped by hand may also exit 0 (a graceful SIGTERM handler), so exit code alone cannot tell
 * the two apart. This is compose's rule too: `up --wait` accepts an exited container only when a service adopts it
 * with `service_completed_successfully` (docker/compose#9572).
 */
export function isFinishedOneShot(c: ObservedContainer, s: Service, project: Project): boolean {
  if (c.state !== 'exited' || c.exitCode !== 0) return false;
  if (s.restart !== 'no' && !s.restart.startsWith('on-failure')) return false;
  return isAwaitedToComplete(project, s.name);
}

/**
 * Whether a stopped replica's restart policy asks surge to start it again. The container engine enforces restart
 * policies of containers itself (a container it left stopped was stopped on purpose); host processes have only surge.
 */
export function policyRestarts(c: ObservedContainer, s: Service): boolean {
  if (c.driver !== 'process' || c.stoppedBySurge) return false;
  if (s.restart === 'always' || s.restart === 'unless-stopped') return true;
  if (s.restart.startsWith('on-failure')) return c.exitCode !== 0;
  return false;
}

/** Why a replica is not running, in the words a plan shows. */
export function stoppedReason(c: ObservedContainer): string {
  if (c.state === 'created') return 'created, not started';
  if (c.state === 'exited') return c.exitCode === null ? 'stopped' : `stopped (exited ${c.exitCode})`;
  return c.state;
}

export function isRunning(c: ObservedContainer): boolean {
  return c.state === 'running' || c.state === 'restarting';
}

export function byReplica(a: ObservedContainer, b: ObservedContainer): number {
  return a.replica - b.replica || compareText(a.name, b.name);
}
