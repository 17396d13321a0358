// One family of typed errors. Every error surge raises is a SurgeError with a stable machine-readable `code`
// (programs branch on it; the CLI maps it to an exit code and a message). Everything but `internal` is the user's to
// fix and is printed without a stack trace; an `internal` error is a bug in surge and says so.

/** Stable codes: a program may rely on them. New codes may be added; existing ones never change meaning. */
export type SurgeErrorCode =
  /** the Boltfile (or the object given to loadProject) is invalid; `diagnostics` says where and why */
  | 'config'
  /** an argument or option value is not valid (a scale spec, a duration, a service command) */
  | 'invalid-argument'
  /** a service name the project does not declare */
  | 'no-such-service'
  /** no container engine answers where the driver connects */
  | 'engine-unreachable'
  /** the engine (or the host, for host processes) refused or failed an operation */
  | 'engine'
  /** another surge held the project lock for longer than the lock timeout */
  | 'lock-timeout'
  /** a saved plan whose live state changed since it was made: nothing was applied */
  | 'stale-plan'
  /** GPU services, and a target that cannot give them a GPU: nothing was touched */
  | 'gpu-unavailable'
  /**
   * something the operation needs is missing (an external network, a running container, an image with --pull never)
   */
  | 'precondition'
  /** a service did not become ready (`up --wait`, a dependency's condition) */
  | 'wait-failed'
  /** the driver cannot do what was asked (a host process on a Swarm, exec on another node) */
  | 'unsupported'
  /** the caller's signal stopped the operation */
  | 'cancelled'
  /** a bug in surge */
  | 'internal';

/** Where in a file: `FILE:LINE:COL`, 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** One problem in a Boltfile (or a document given as an object): the message, the key path, and where it is. */
export interface Diagnostic {
  message: string;
  /** key path, e.g. "services.web.ports[1]" */
  path: string | null;
  location: SourceLocation | null;
}

/** A diagnostic as the CLI prints it: `FILE:LINE:COL: key.path: message`. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.location ? `${d.location.file}:${d.location.line}:${d.location.column}: ` : '';
  return `${where}${d.message}`;
}

/**
 * Every error surge raises: a stable machine-readable `code` (branch on it), a message, and `toJSON()`. Everything but
 * `internal` is the user's to fix.
 */
export class SurgeError extends Error {
  readonly code: SurgeErrorCode;
  constructor(code: SurgeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SurgeError';
    this.code = code;
  }

  /** `{ code, message }`, plus what a subclass carries (diagnostics, the lock holder) */
  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message };
  }
}

/** An error that is the user's to fix (any code but `internal`). */
export class UserError extends SurgeError {
  constructor(message: string, code: Exclude<SurgeErrorCode, 'internal'> = 'invalid-argument', options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'UserError';
  }
}

/** One or more located problems in the user's Boltfiles, reported together. */
export class ConfigError extends UserError {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'), 'config');
    this.name = 'ConfigError';
    this.diagnostics = diagnostics;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), diagnostics: this.diagnostics };
  }
}

/** The container engine (or another external system) could not do what was asked, or could not be reached. */
export class EngineError extends UserError {
  constructor(message: string, code: 'engine' | 'engine-unreachable' = 'engine', options?: { cause?: unknown }) {
    super(message, code, options);
    this.name = 'EngineError';
  }
}

/** Who holds a project lock, as far as the lock can tell. */
export interface LockHolder {
  /** "pid 1234", "pid 1234 on host ci-runner-7" */
  description: string;
  pid: number | null;
  host: string | null;
}

/** Another surge held the project lock for longer than the lock timeout (code `lock-timeout`); `holder` says who. */
export class LockTimeoutError extends UserError {
  constructor(
    message: string,
    readonly holder: LockHolder | null,
  ) {
    super(message, 'lock-timeout');
    this.name = 'LockTimeoutError';
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), holder: this.holder };
  }
}

/** A saved plan whose live state changed since it was made (code `stale-plan`): nothing was applied. */
export class StalePlanError extends UserError {
  constructor(message: string) {
    super(message, 'stale-plan');
    this.name = 'StalePlanError';
  }
}

/** The caller stopped the operation (code `cancelled`). */
export class CancelledError extends SurgeError {
  constructor(message = 'cancelled') {
    super('cancelled', message);
    this.name = 'CancelledError';
  }
}

/** A bug in surge: something that must not happen did. */
export class InternalError extends SurgeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('internal', message, options);
    this.name = 'InternalError';
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ETIMEDOUT', 'EACCES']);

/**
 * Any thrown value as a SurgeError, for results that carry error objects: an engine's HTTP answer is `engine`, a
 * refused connection `engine-unreachable`, anything else not already typed is a bug (`internal`), with the original
 * kept as `cause`.
 */
export function asSurgeError(err: unknown): SurgeError {
  if (err instanceof SurgeError) return err;
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number') return new EngineError(errorMessage(err), 'engine', { cause: err });
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string' && UNREACHABLE.has(code) && (err as { syscall?: string }).syscall === 'connect') {
    return new EngineError(errorMessage(err), 'engine-unreachable', { cause: err });
  }
  return new InternalError(errorMessage(err), { cause: err });
}
