// What watch mode reports. The library yields these; `surge watch` renders them as lines or JSON.
import type { LogLine } from '../api/status.js';
import type { ExecEvent } from '../api/events.js';
import type { Diagnostic, SurgeError } from '../model/errors.js';

/** One thing a reconcile did: a plan action applied, a develop.watch rule run, a service held. */
export type WatchChange = { op: string; id: string; reason: string } | { op: string; service: string; files?: number };

/**
 * What watch mode reports: each reconcile, invalid edits, syncs, the engine going and coming back, flapping services,
 * notices, action progress, log lines, and its end.
 */
export type WatchEvent =
  /** watching began (after the initial converge) */
  | { type: 'ready'; project: string; watchedPaths: number; attachOnly: boolean }
  /**
   * One reconcile: what triggered it (changed files relative to the cwd, "drift check", "engine back",
   * "initial converge", "initial sync"), whether it succeeded, and what it did.
   */
  | {
      type: 'reconcile';
      trigger: string[];
      /** the trigger is files that changed (the text rendering says "changed") */
      filesChanged: boolean;
      ok: boolean;
      description: string;
      changes: WatchChange[];
      durationMs: number;
      /** when the reconcile itself failed (not an action: an action's failure is in `description`) */
      error?: SurgeError;
    }
  /** a Boltfile edit that does not load: the last good state is kept */
  | { type: 'invalid-config'; trigger: string[]; diagnostics: Diagnostic[]; error: SurgeError }
  /** files copied into (or deleted from) running containers by a sync rule */
  | { type: 'sync'; service: string; copied: number; deleted: number; containers: string[]; ok: boolean }
  | { type: 'engine-unreachable'; error: SurgeError }
  | { type: 'engine-back' }
  /** a service that keeps crashing: by the engine's restart policy (reported once) or surge's (held until an edit) */
  | { type: 'flapping'; services: string[]; by: 'engine' | 'surge' }
  /** planner notices (an orphan left alone, a held service); the same notice may come again on later reconciles */
  | { type: 'notice'; message: string }
  /** the executor's events, for progress displays */
  | { type: 'action'; event: ExecEvent }
  /** `attachOnly`: a line the services printed */
  | { type: 'log'; line: LogLine }
  /** a problem that does not stop watching (a file watcher error, a log stream that broke) */
  | { type: 'warning'; message: string }
  /**
   * watching ended; `applyInFlight`: an apply was still running after the grace period (the engine finishes that step)
   */
  | { type: 'stopped'; applyInFlight: boolean };
