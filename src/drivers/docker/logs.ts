// Container output, demultiplexed into lines per stream, for one or many containers.
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import type { ObservedContainer } from '../../model/observed.js';
import type { LogLine, LogOptions } from '../driver.js';

/** Splits a byte stream into lines as they complete; `end` flushes a last line that has no newline. */
export function lineSplitter(onLine: (text: string) => void): { write(chunk: Buffer): void; end(): void } {
  let carry = '';
  return {
    write(chunk) {
      const parts = (carry + chunk.toString('utf8')).split('\n');
      carry = parts.pop() ?? '';
      parts.forEach(onLine);
    },
    end() {
      if (carry) onLine(carry);
      carry = '';
    },
  };
}

function splitTimestamp(text: string, timestamps: boolean): { text: string; timestamp: string | null } {
  if (!timestamps) return { text, timestamp: null };
  const space = text.indexOf(' ');
  return space > 0 ? { timestamp: text.slice(0, space), text: text.slice(space + 1) } : { text, timestamp: null };
}

export async function streamLogs(docker: Docker, containers: ObservedContainer[], options: LogOptions, onLine: (l: LogLine) => void, signal: AbortSignal): Promise<void> {
  await Promise.all(
    containers.map(async (c) => {
      const container = docker.getContainer(c.id);
      const info = await container.inspect();
      // The current run's lines come after the previous run ended (FinishedAt stays set while it runs again); its
      // StartedAt is no bound: the engine records it once the process runs, after its first lines.
      const previousEnd = options.fromRunStart ? Date.parse(info.State.FinishedAt) / 1000 : NaN;
      const since = Number.isFinite(previousEnd) && previousEnd > 0 ? previousEnd : options.since;
      const base = {
        stdout: true,
        stderr: true,
        timestamps: options.timestamps,
        ...(options.tail !== null ? { tail: options.tail } : {}),
        ...(since !== null ? { since } : {}),
      };
      const emit = (stream: 'stdout' | 'stderr') =>
        lineSplitter((raw) => {
          const { text, timestamp } = splitTimestamp(raw, options.timestamps);
          onLine({ container: c.name, service: c.service, stream, text, timestamp });
        });
      const out = emit('stdout');
      const err = emit('stderr');
      if (!options.follow) {
        const buf = (await container.logs({ ...base, follow: false })) as unknown as Buffer;
        if (info.Config.Tty) out.write(buf);
        else demuxBuffer(buf, out, err);
        out.end();
        err.end();
        return;
      }
      const stream = (await container.logs({ ...base, follow: true })) as unknown as NodeJS.ReadableStream & { destroy(): void };
      await new Promise<void>((resolve) => {
        const stdout = new PassThrough();
        const stderr = new PassThrough();
        stdout.on('data', (b: Buffer) => out.write(b));
        stderr.on('data', (b: Buffer) => err.write(b));
        if (info.Config.Tty) stream.on('data', (b: Buffer) => out.write(b));
        else docker.modem.demuxStream(stream, stdout, stderr);
        const finish = (): void => {
          out.end();
          err.end();
          resolve();
        };
        stream.on('end', finish);
        stream.on('error', finish);
        signal.addEventListener(
          'abort',
          () => {
            stream.destroy();
            finish();
          },
          { once: true },
        );
      });
    }),
  );
}

/** The multiplexed format: 8-byte frames (stream type, 3 zero bytes, big-endian length) followed by data. */
export function demuxBuffer(buf: Buffer, out: { write(b: Buffer): void }, err: { write(b: Buffer): void }): void {
  let i = 0;
  while (i + 8 <= buf.length) {
    const type = buf[i];
    const len = buf.readUInt32BE(i + 4);
    const chunk = buf.subarray(i + 8, i + 8 + len);
    (type === 2 ? err : out).write(chunk);
    i += 8 + len;
  }
}
