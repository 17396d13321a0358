// Watch mode's events as lines on stderr (one per reconcile, notices once per session) or, with --progress json,
// as JSON objects on stdout (every action event too).
import type { WatchEvent } from '../../watch/watch.js';
import { formatDiagnostic } from '../../model/errors.js';
import { err, out } from '../output.js';
import { linePrinter } from '../commands/logs.js';
import type { ProgressMode } from './progress.js';
import { createReporter } from './reporter.js';

export interface WatchRenderer {
  onEvent(e: WatchEvent): void;
  close(): Promise<void>;
  /** the session stopped with an apply still running */
  applyInFlight(): boolean;
}

function clock(): string {
  return new Date().toTimeString().slice(0, 8);
}

function what(trigger: string[]): string {
  return trigger.length > 3 ? `${trigger.slice(0, 3).join(', ')} and ${trigger.length - 3} more` : trigger.join(', ');
}

export async function watchRenderer(mode: ProgressMode): Promise<WatchRenderer> {
  const json = mode === 'json';
  const reporter = json ? await createReporter('json') : null;
  const printed = new Set<string>();
  const printLog = linePrinter({ color: false, prefix: true, timestamps: false });
  let inFlight = false;
  const line = (text: string, event: Record<string, unknown>): void => {
    if (json) out(JSON.stringify({ time: new Date().toISOString(), ...event }));
    else err(`[${clock()}] ${text}`);
  };
  return {
    onEvent(e: WatchEvent): void {
      switch (e.type) {
        case 'ready':
          // On stderr in both modes: with --progress json, stdout carries only JSON events.
          err(
            e.attachOnly
              ? `Attached to project ${e.project}: supervising and streaming logs. Ctrl-C stops the services (twice: kills them).`
              : `Watching project ${e.project} (${e.watchedPaths} paths). Ctrl-C stops watching and leaves the stack running.`,
          );
          return;
        case 'reconcile': {
          const secs = (e.durationMs / 1000).toFixed(2);
          if (e.error) line(`${what(e.trigger)} → ${e.description}`, { event: 'reconcile', trigger: e.trigger, ok: false, error: e.error.message });
          else {
            line(`${what(e.trigger)}${e.filesChanged ? ' changed' : ''} → ${e.description} · ${secs}s`, {
              event: 'reconcile',
              trigger: e.trigger,
              ok: e.ok,
              description: e.description,
              changes: e.changes,
              durationMs: e.durationMs,
            });
          }
          return;
        }
        case 'invalid-config': {
          const where = e.diagnostics.map(formatDiagnostic).join('\n  ');
          line(`${what(e.trigger)} changed → invalid, keeping the last good state:\n  ${where}`, { event: 'reconcile', trigger: e.trigger, ok: false, error: e.error.message });
          return;
        }
        case 'engine-unreachable':
          line(`engine unreachable: ${e.error.message}; retrying with backoff, the watcher keeps going`, { event: 'engine-unreachable', ok: false, error: e.error.message });
          return;
        case 'engine-back':
          line('engine is reachable again: re-converging', { event: 'engine-back', ok: true });
          return;
        case 'flapping':
          // Text mode says it in the reconcile line; JSON gets an event of its own.
          if (json) out(JSON.stringify({ time: new Date().toISOString(), event: 'flapping', services: e.services, by: e.by }));
          return;
        case 'sync':
          if (json) out(JSON.stringify({ time: new Date().toISOString(), event: 'sync', service: e.service, copied: e.copied, deleted: e.deleted, containers: e.containers, ok: e.ok }));
          return;
        case 'notice':
          if (reporter) reporter.note(e.message);
          else if (!printed.has(e.message)) {
            // Notices would otherwise repeat on every save.
            printed.add(e.message);
            err(e.message);
          }
          return;
        case 'action':
          reporter?.onEvent(e.event);
          return;
        case 'log':
          printLog(e.line);
          return;
        case 'warning':
          err(e.message);
          return;
        case 'stopped':
          inFlight = e.applyInFlight;
          if (e.applyInFlight) err('An apply was still in flight: the engine finishes the step it was on; run surge again to converge the rest.');
          return;
      }
    },
    close: async () => {
      await reporter?.close();
    },
    applyInFlight: () => inFlight,
  };
}
