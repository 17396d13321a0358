// `surge events` on a Docker engine: the engine's event stream for the project's containers, as compose reports
// it: container events only, one-off containers left out, surge's own labels left out of the attributes.
import type Docker from 'dockerode';
import { LABEL } from '../../model/naming.js';
import type { EngineEvent } from '../inspect-types.js';

interface EngineMessage {
  Type?: string;
  Action?: string;
  status?: string;
  time?: number;
  /** nanoseconds since the epoch, as digits (a number would be rounded) */
  timeNano?: number | string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

/** RFC 3339 with nanoseconds, UTC, from the engine's timeNano (or whole seconds). */
export function eventTime(m: EngineMessage): string {
  const nanos = m.timeNano !== undefined ? BigInt(m.timeNano) : BigInt(m.time ?? 0) * 1_000_000_000n;
  const seconds = nanos / 1_000_000_000n;
  const fraction = (nanos % 1_000_000_000n).toString().padStart(9, '0');
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19)}.${fraction}Z`;
}

/** An engine message as compose shows it; null for what compose leaves out. */
export function toEngineEvent(m: EngineMessage): EngineEvent | null {
  if (m.Type !== 'container') return null;
  const attrs = m.Actor?.Attributes ?? {};
  if (attrs[LABEL.oneoff] === 'true') return null;
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) if (!k.startsWith('surge.')) attributes[k] = v;
  return { time: eventTime(m), type: 'container', service: attrs[LABEL.service] ?? '', id: m.Actor?.ID ?? '', action: m.Action ?? m.status ?? '', attributes };
}

export async function streamEvents(docker: Docker, project: string, onEvent: (e: EngineEvent) => void, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  const stream = (await docker.getEvents({ filters: { type: ['container'], label: [`${LABEL.project}=${project}`] } })) as NodeJS.ReadableStream & { destroy(): void };
  await new Promise<void>((resolve, reject) => {
    let carry = '';
    stream.on('data', (chunk: Buffer) => {
      const lines = (carry + chunk.toString('utf8')).split('\n');
      carry = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        try {
          const m = JSON.parse(line) as EngineMessage;
          // timeNano is past 2^53: JSON.parse rounds it; take its digits from the text.
          const nanos = /"timeNano":\s*(\d+)/.exec(line)?.[1];
          const e = toEngineEvent(nanos ? { ...m, timeNano: nanos } : m);
          if (e) onEvent(e);
        } catch {
          /* a line that is not an event */
        }
      }
    });
    const onAbort = (): void => {
      stream.destroy();
      resolve();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    stream.on('end', () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
    stream.on('error', (err: Error) => {
      signal.removeEventListener('abort', onAbort);
      if (signal.aborted) resolve();
      else reject(err);
    });
  });
}
