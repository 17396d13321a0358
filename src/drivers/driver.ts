// The one interface every driver implements. A driver observes and executes; it never decides what to do. What a
// driver can do beyond the core (sync files, give GPUs, probe health) it declares through this contract, so nothing
// above it asks which driver it is.
import type { LockHolder } from '../model/errors.js';
import type { DependencyCondition, DriverKind, Project, Service } from '../model/model.js';
import type { HealthState, ObservedContainer, ObservedState } from '../model/observed.js';
import type { Action } from '../model/plan-types.js';
import type { EngineEvent, ImageInfo, ProcessTable, ProjectSummary, ResourceSample } from './inspect-types.js';

export type { EngineEvent, GpuUse, ImageInfo, ProcessTable, ProjectSummary, ResourceSample } from './inspect-types.js';

/** What a driver gets with each action: the signal that cuts it short, and a way to report sub-progress. */
export interface ActionContext {
  /** aborted on the second Ctrl-C: in-flight work should stop as soon as it safely can */
  signal: AbortSignal;
  /** a line of sub-progress (pull/build output, "waiting for db to be healthy") */
  log(line: string): void;
}

export interface LogOptions {
  follow: boolean;
  tail: number | null;
  /** unix seconds */
  since: number | null;
  timestamps: boolean;
  /**
   * From the first line of the container's current run (by the engine's clock: after its previous run ended),
   * instead of `since`: a restarted container's new output and none of its earlier run's, however late its restart
   * was noticed. `since` stays the cut-off where the engine does not say.
   */
  fromRunStart?: boolean;
}

/** One line a replica printed. */
export interface LogLine {
  container: string;
  service: string;
  stream: 'stdout' | 'stderr';
  text: string;
  timestamp: string | null;
}

export interface ExecOptions {
  interactive: boolean;
  tty: boolean;
  user: string | null;
  workdir: string | null;
  env: Record<string, string>;
  /** the terminal or streams the command is attached to (default: this process's own) */
  stdin?: NodeJS.ReadStream;
  /** where the command's standard output goes; watch keeps its JSON stdout clean */
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

export interface RunOptions extends ExecOptions {
  remove: boolean;
  command: string[] | null;
  entrypoint: string[] | null;
}

export interface SyncEntry {
  /** absolute host path of a file that exists */
  hostPath: string;
  /** absolute path in the container */
  containerPath: string;
}

/** Who asks for a project lock: enough to name the holder to whoever waits, on this machine or another. */
export interface LockOwner {
  /** a random token, unique to this acquisition */
  token: string;
  pid: number;
  host: string;
  /** what the holder is doing, e.g. "up", "down" */
  purpose: string;
}

/** A request for the project lock: who asks, how long to wait, and how to say it is waiting. */
export interface LockRequest {
  owner: LockOwner;
  timeoutMs: number;
  /** called once when another holder has the lock, so the caller can say it is waiting */
  onWait?: (holder: LockHolder | null) => void;
  /** stops waiting (rejects with a CancelledError) */
  signal?: AbortSignal;
}

/** A project lock held by this process; release it when done. */
export interface HeldLock {
  release(): Promise<void>;
}

/** What a target offers GPU services, in words for messages; empty `offers` means it cannot give one. */
export interface GpuOffer {
  /** where the target was reached, e.g. "unix:///var/run/docker.sock" */
  endpoint: string;
  /** e.g. "nvidia runtime", "nvidia device driver: /usr/bin/nvidia-container-runtime-hook", a CDI device id */
  offers: string[];
  /** container runtimes the target has (a service's gpu.runtime must be one of them) */
  runtimes: string[];
  /**
   * A cluster's nodes and the NVIDIA GPUs each advertises (its generic resources): a GPU task needs one node with
   * enough. Absent for a single engine, where `offers` says it all.
   */
  nodes?: GpuNode[];
}

/** One node of a cluster, as the GPU preflight reads it. */
export interface GpuNode {
  name: string;
  /** it can take tasks now: ready and active */
  available: boolean;
  /** NVIDIA-GPU it advertises as a count */
  gpus: number;
  /** NVIDIA-GPU it advertises by id */
  gpuIds: string[];
}

/** `surge doctor`'s view of a target: a few labelled lines, driver-specific. */
export interface TargetReport {
  reachable: boolean;
  endpoint: string;
  lines: { label: string; value: string }[];
}

/**
 * The one contract every driver implements: observe live state into a value, apply one action, wait for a condition,
 * logs, exec, run, and the capabilities it declares (sync, health probes, locks, GPU offers, reports).
 */
export interface Driver {
  readonly kind: DriverKind;

  /** Reads live objects of the project into the observed-state value. */
  observe(project: Project): Promise<ObservedState>;

  /** Performs one plan action. The action says exactly what to do. */
  apply(action: Action, project: Project, ctx: ActionContext): Promise<void>;

  /** Resolves when `service` meets `condition`; rejects with a UserError when it never can (exited, unhealthy). */
  waitFor(project: Project, service: string, condition: DependencyCondition, ctx: ActionContext): Promise<void>;

  logs(project: Project, containers: ObservedContainer[], options: LogOptions, onLine: (line: LogLine) => void, signal: AbortSignal): Promise<void>;

  /** Logs of whole services where the target keeps them per service (a Swarm's tasks on every node). */
  serviceLogs?(project: Project, services: string[], options: LogOptions, onLine: (line: LogLine) => void, signal: AbortSignal): Promise<void>;

  /** Runs a command in a running container/process context; resolves with its exit code. */
  exec(project: Project, container: ObservedContainer, command: string[], options: ExecOptions): Promise<number>;

  /** One-off container for `run`; resolves with its exit code. */
  run(project: Project, service: Service, options: RunOptions): Promise<number>;

  /**
   * Watch's `sync`: copies changed host files into a running container and deletes the removed ones, without
   * restarting it. Drivers whose services run on the host (where files are already live) leave it undefined.
   */
  sync?(project: Project, container: ObservedContainer, copy: SyncEntry[], remove: string[], ctx: ActionContext): Promise<void>;

  /** Runs a service's healthcheck once where the engine does not track health itself (host processes, for `ps`). */
  probeHealth?(project: Project, container: ObservedContainer): Promise<HealthState | null>;

  /**
   * The project lock, kept where this driver's state lives (the engine or cluster for containers, the project's
   * folder for host processes), so two surge processes never apply one project at once.
   */
  lock(project: Project, request: LockRequest): Promise<HeldLock>;

  /** What the target can give GPU services; drivers that never run GPU services leave it undefined. */
  gpuOffer?(): Promise<GpuOffer>;

  /** For `surge doctor`. */
  report?(): Promise<TargetReport>;

  // The compose commands beyond the core. A driver leaves out what does not apply to what it runs, and the
  // operation says so in words ("pause does not apply to a host process").

  /** `surge kill`: sends `signal` (e.g. "SIGKILL", "HUP", "9") to a running replica's processes. */
  kill?(project: Project, container: ObservedContainer, signal: string): Promise<void>;
  /** `surge pause` / `unpause`. */
  pause?(project: Project, container: ObservedContainer): Promise<void>;
  unpause?(project: Project, container: ObservedContainer): Promise<void>;
  /** `surge top`: the processes running in a replica. */
  top?(project: Project, container: ObservedContainer): Promise<ProcessTable>;
  /** `surge stats`: one sample per replica (it takes about a second: CPU use is measured over an interval). */
  stats?(project: Project, containers: ObservedContainer[], signal: AbortSignal): Promise<ResourceSample[]>;
  /** `surge wait`: the replica's exit code once it has ended (at once when it already has); null when unknown. */
  waitExit?(project: Project, container: ObservedContainer, signal: AbortSignal): Promise<number | null>;
  /** `surge images`: the images the containers run. */
  images?(project: Project, containers: ObservedContainer[]): Promise<ImageInfo[]>;
  /** `surge events`: the target's events for the project's containers, until `signal` aborts. */
  events?(project: Project, onEvent: (event: EngineEvent) => void, signal: AbortSignal): Promise<void>;
  /** `surge cp`: copies a host file or folder into a container (`toContainer`) or out of it. */
  copy?(project: Project, container: ObservedContainer, direction: 'toContainer' | 'fromContainer', source: string, destination: string): Promise<void>;
  /** `surge ls`: the projects this target holds (`all`: also those with no running container). */
  listProjects?(all: boolean): Promise<ProjectSummary[]>;

  /** Releases connections and timers so the program can exit. */
  close(): Promise<void>;
}
