// The one interface every driver implements. A driver observes and executes; it never decides what to do.
import type { DependencyCondition, DriverKind, Project, Service } from '../model/model.js';
import type { HealthState, ObservedContainer, ObservedState } from '../model/observed.js';
import type { Action } from '../model/plan-types.js';

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
}

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
  /** where the command's standard output goes (default: this process's); watch keeps its JSON stdout clean */
  stdout?: NodeJS.WritableStream;
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

export interface Driver {
  readonly kind: DriverKind;

  /** Reads live objects of the project into the observed-state value. */
  observe(project: Project): Promise<ObservedState>;

  /** Performs one plan action. The action says exactly what to do. */
  apply(action: Action, project: Project, ctx: ActionContext): Promise<void>;

  /** Resolves when `service` meets `condition`; rejects with a UserError when it never can (exited, unhealthy). */
  waitFor(project: Project, service: string, condition: DependencyCondition, ctx: ActionContext): Promise<void>;

  logs(project: Project, containers: ObservedContainer[], options: LogOptions, onLine: (line: LogLine) => void, signal: AbortSignal): Promise<void>;

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

  /** Releases connections and timers so the CLI can exit. */
  close(): Promise<void>;
}
