// Host process logs are one file per replica holding stdout and stderr together, as the process wrote them. Lines
// carry no timestamps, so `timestamps` does not apply and `since` works per run: a run that started at or after that
// time is shown from its first line, an older one only from now on.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { ObservedContainer } from '../../model/observed.js';
import type { LogLine, LogOptions } from '../driver.js';
import { sleep } from '../../model/sleep.js';
import type { ProcessRecord, StateStore } from './state-store.js';

const POLL_MS = 200;

export async function followLogs(
  store: StateStore,
  recordOf: (service: string, replica: number) => ProcessRecord | null,
  containers: ObservedContainer[],
  options: LogOptions,
  onLine: (l: LogLine) => void,
  signal: AbortSignal,
): Promise<void> {
  // Two copies of one replica (one without a record) share its log file: it is read once.
  const unique = containers.filter((c, i) => containers.findIndex((o) => o.service === c.service && o.replica === c.replica) === i);
  await Promise.all(
    unique.map(async (c) => {
      const file = store.logFile(c.service, c.replica);
      let offset = 0;
      if (options.since !== null) {
        const r = recordOf(c.service, c.replica);
        const fromRun = r?.logOffset !== undefined && Date.parse(r.startedAt) >= options.since * 1000;
        try {
          offset = fromRun ? (r?.logOffset ?? 0) : statSync(file).size;
        } catch {
          offset = 0;
        }
      }
      let carry = '';
      const emit = (text: string): void => onLine({ container: c.name, service: c.service, stream: 'stdout', text, timestamp: null });
      const readNew = (first: boolean): void => {
        let size = 0;
        try {
          size = statSync(file).size;
        } catch {
          return;
        }
        if (size < offset) offset = 0;
        if (size === offset) return;
        const fd = openSync(file, 'r');
        try {
          const buf = Buffer.alloc(size - offset);
          readSync(fd, buf, 0, buf.length, offset);
          offset = size;
          const lines = (carry + buf.toString('utf8')).split('\n');
          carry = lines.pop() ?? '';
          const shown = first && options.tail !== null ? lines.slice(Math.max(0, lines.length - options.tail)) : lines;
          shown.forEach(emit);
        } finally {
          closeSync(fd);
        }
      };
      readNew(true);
      if (!options.follow) {
        if (carry) emit(carry);
        return;
      }
      while (!signal.aborted) {
        await sleep(POLL_MS, signal).catch(() => undefined);
        readNew(false);
      }
    }),
  );
}
