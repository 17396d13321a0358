/**
 * surge as a library: the same core the `surge` command runs. Load a project (from Boltfiles or a plain object),
 * connect it to its drivers, plan, apply, take it down, watch it — with typed options, events, results and errors.
 *
 * @example
 * import { loadProject, connect, plan, apply, down, formatPlan, SurgeError } from 'surge-stack';
 *
 * const stack = await connect(loadProject({ cwd: '/srv/shop' }));
 * try {
 *   const p = await plan(stack, { removeOrphans: true });
 *   console.log(formatPlan(p, stack.project));
 *   const result = await apply(stack, p, { onEvent: (e) => e.type === 'action-done' && console.log(e.action.id) });
 *   if (!result.ok) for (const f of result.failed) console.error(f.action.id, f.error.code, f.error.message);
 * } catch (e) {
 *   if (e instanceof SurgeError && e.code === 'stale-plan') console.error('the stack moved; plan again');
 *   else throw e;
 * } finally {
 *   await stack.close();
 * }
 *
 * @packageDocumentation
 */

// Loading and connecting
export { loadProject, reloadProject, emptyProject, type LoadProjectOptions, type LoadedProject, type ProjectSource } from './api/load.js';
export { connect, driversUsed, Stack, type ConnectOptions, type Env } from './api/stack.js';

// Operations
export { plan, savePlan, type PlanOptions } from './api/plan.js';
export { readPlanFile, writePlanFile } from './api/saved-plan-file.js';
export { apply, type ApplyResult } from './api/apply.js';
export { up, type UpOptions, type UpResult } from './api/up.js';
export { down, type DownOptions, type DownResult } from './api/down.js';
export { start, stop, restart, build, pull, type LifecycleOptions, type PlannedResult } from './api/lifecycle.js';
export { scale, parseScale } from './api/scale.js';
export { runOneOff, execIn, type CommandOptions, type RunOneOffOptions, type RunOneOffResult, type ExecInOptions } from './api/run.js';
export { status, logs, doctor, type StatusOptions, type LogsOptions, type LogLine, type TargetReport } from './api/status.js';
export { kill, pause, unpause, type KillOptions, type ReplicaOpResult } from './api/replica-ops.js';
export { top, port, images, listProjects, projectStatus, type TopResult, type PortOptions, type ImagesResult } from './api/inspect.js';
export { stats, events, waitForExit, type StatsOptions, type StatsRound, type EventsOptions, type ExitResult } from './api/live.js';
export { copy, type CopyOptions, type CopyResult } from './api/copy.js';
export { create, removeStopped, type RemoveStoppedOptions, type PlanResult } from './api/remove.js';
export { abortOnExit, watchExits, type AbortOnExitOptions, type AbortOnExitResult, type ExitWatchOptions, type ReplicaExit } from './api/foreground.js';
export type { ReplicaSelection } from './api/replicas.js';
export { watch, type WatchOptions, type WatchEvent, type WatchChange } from './watch/watch.js';

// Steering and events
export { DEFAULT_PARALLEL, DEFAULT_LOCK_TIMEOUT_MS, type RunControl } from './api/control.js';
export type { SurgeEvent, ExecEvent, OnEvent } from './api/events.js';
export type { ExecuteResult, FailedAction, SkippedAction } from './engine/executor.js';

// Values: the model, the observed state, the plan
export type * from './model/model.js';
export type { ObservedState, ObservedContainer, ObservedNetwork, ObservedVolume, ContainerState, HealthState } from './model/observed.js';
export type { Plan, Action, ActionKind, Op, Change, WaitFor, PlanSummary, SavedPlan, ImageStep } from './model/plan-types.js';
export { formatPlan, planJson, plainStyle, ansiStyle, buildGraph, graphLabel, type Style, type ProjectGraph, type GraphNode, type NodeId } from './api/format.js';
export { serviceConfigHash } from './model/config-hash.js';
export { surgeVersion } from './model/version.js';

// Drivers: the contract, and an in-memory one for tests and embedding
export type { Driver, ActionContext, GpuOffer, HeldLock, LockOwner, LockRequest } from './drivers/driver.js';
export type { EngineEvent, GpuUse, ImageInfo, ProcessTable, ProjectSummary, ResourceSample } from './drivers/inspect-types.js';
export { MemoryDriver } from './drivers/memory/memory-driver.js';

// Errors: one family with a stable `code`
export {
  SurgeError,
  UserError,
  ConfigError,
  EngineError,
  LockTimeoutError,
  StalePlanError,
  CancelledError,
  InternalError,
  formatDiagnostic,
  type SurgeErrorCode,
  type Diagnostic,
  type SourceLocation,
  type LockHolder,
} from './model/errors.js';
