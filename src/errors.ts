// Typed errors. A UserError is the user's to fix and is printed without a stack trace;
// anything else reaching the top level is a bug in surge and is reported as one.

export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export interface Diagnostic {
  message: string;
  /** key path, e.g. "services.web.ports[1]" */
  path: string | null;
  location: SourceLocation | null;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.location ? `${d.location.file}:${d.location.line}:${d.location.column}: ` : '';
  return `${where}${d.message}`;
}

export class UserError extends Error {
  /** exit code the CLI uses */
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'UserError';
    this.exitCode = exitCode;
  }
}

/** One or more located problems in the user's Boltfiles, reported together. */
export class ConfigError extends UserError {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'ConfigError';
    this.diagnostics = diagnostics;
  }
}

/** The container engine (or another external system) could not do what was asked. */
export class EngineError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'EngineError';
  }
}

export class CancelledError extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
