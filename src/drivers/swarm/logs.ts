// Service logs through the manager: every task's output, on whichever node it runs, each line named by its task
// (`web.2@node3`). A node that is down contributes nothing; the manager answers with the others' lines.
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import type { Project } from '../../model/model.js';
import type { LogLine, LogOptions } from '../driver.js';
import type { EngineApi } from '../docker/engine-api.js';
import { demuxBuffer, lineSplitter } from '../docker/logs.js';
import { listProjectTasks, type SwarmNodeInfo } from './observe.js';

export interface LoggedService {
  id: string;
  /** engine name */
  name: string;
  /** the Boltfile's name */
  service: string;
}

/** "2026-01-02T03:04:05.6Z com.docker.swarm.node.id=…,com.docker.swarm.service.id=…,com.docker.swarm.task.id=… text" */
export function parseDetailed(line: string): { timestamp: string | null; task: string | null; text: string } {
  const m = /^(\S+) ((?:[a-z0-9.]+=[^,\s]*,?)+) ?(.*)$/s.exec(line);
  if (!m) return { timestamp: null, task: null, text: line };
  const task = /com\.docker\.swarm\.task\.id=([^,\s]+)/.exec(m[2] as string)?.[1] ?? null;
  return { timestamp: m[1] as string, task, text: m[3] as string };
}

/** Task id → "web.2@sswn3", refreshed when a task appears that it does not know (a replacement, while following). */
class TaskNames {
  private names = new Map<string, string>();
  private refreshing: Promise<void> | null = null;
  constructor(
    private readonly api: EngineApi,
    private readonly project: Project,
    private readonly services: LoggedService[],
  ) {}

  async refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      const [tasks, nodes] = await Promise.all([listProjectTasks(this.api, this.project.name), this.api.get<SwarmNodeInfo[]>('/nodes')]);
      const host = new Map(nodes.map((n) => [n.ID, n.Description?.Hostname ?? n.ID.slice(0, 12)]));
      for (const t of tasks) {
        const svc = this.services.find((s) => s.id === t.ServiceID);
        if (!svc) continue;
        const where = t.NodeID ? `@${host.get(t.NodeID) ?? t.NodeID.slice(0, 12)}` : '';
        this.names.set(t.ID, `${svc.service}.${t.Slot ?? t.NodeID?.slice(0, 6) ?? t.ID.slice(0, 6)}${where}`);
      }
    })().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  name(task: string | null, fallback: string): string {
    if (!task) return fallback;
    const known = this.names.get(task);
    if (known) return known;
    void this.refresh().catch(() => undefined);
    return `${fallback}.${task.slice(0, 6)}`;
  }
}

export async function streamServiceLogs(
  api: EngineApi,
  docker: Docker,
  project: Project,
  services: LoggedService[],
  options: LogOptions,
  onLine: (l: LogLine) => void,
  signal: AbortSignal,
): Promise<void> {
  const names = new TaskNames(api, project, services);
  await names.refresh();
  await Promise.all(
    services.map(async (svc) => {
      const query = {
        stdout: true,
        stderr: true,
        timestamps: true,
        details: true,
        follow: options.follow,
        ...(options.tail !== null ? { tail: options.tail } : {}),
        ...(options.since !== null ? { since: options.since } : {}),
      };
      const emit = (stream: 'stdout' | 'stderr') =>
        lineSplitter((raw) => {
          const { timestamp, task, text } = parseDetailed(raw);
          onLine({ container: names.name(task, svc.service), service: svc.service, stream, text, timestamp: options.timestamps ? timestamp : null });
        });
      const out = emit('stdout');
      const err = emit('stderr');
      const result = (await docker.getService(svc.id).logs(query as unknown as Docker.ContainerLogsOptions & { follow: false })) as unknown;
      if (Buffer.isBuffer(result)) {
        demuxBuffer(result, out, err);
        out.end();
        err.end();
        return;
      }
      const stream = result as NodeJS.ReadableStream & { destroy(): void };
      await new Promise<void>((resolve) => {
        const stdout = new PassThrough();
        const stderr = new PassThrough();
        stdout.on('data', (b: Buffer) => out.write(b));
        stderr.on('data', (b: Buffer) => err.write(b));
        docker.modem.demuxStream(stream, stdout, stderr);
        const finish = (): void => {
          out.end();
          err.end();
          resolve();
        };
        stream.on('end', finish);
        stream.on('error', finish);
        if (signal.aborted) stream.destroy();
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
