// compose's lifecycle hooks on a single engine: post_start commands run in the container once it has started,
// pre_stop commands before it is stopped, each through the engine's exec; a hook that exits non-zero fails its
// action with the tail of what it printed, as compose reports it.
import { EngineError } from '../../model/errors.js';
import type { ServiceHook } from '../../model/model.js';
import type { EngineApi } from './engine-api.js';

const TAIL_BYTES = 2048;

/** The exec stream's frames (8-byte header: stream, 0, 0, 0, size) → stdout and stderr text. */
export function demultiplex(bytes: Buffer): { stdout: string; stderr: string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let i = 0;
  while (i + 8 <= bytes.length) {
    const stream = bytes[i];
    const size = bytes.readUInt32BE(i + 4);
    const frame = bytes.subarray(i + 8, i + 8 + size);
    (stream === 2 ? err : out).push(frame);
    i += 8 + size;
  }
  return { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

function tail(text: string): string {
  const t = text.trim();
  return t.length > TAIL_BYTES ? `…${t.slice(-TAIL_BYTES)}` : t;
}

export async function runHook(api: EngineApi, service: string, id: string, hook: ServiceHook, stage: 'post_start' | 'pre_stop'): Promise<void> {
  const exec = await api.post<{ Id: string }>(`/containers/${id}/exec`, {
    body: {
      Cmd: hook.command,
      User: hook.user ?? '',
      Privileged: hook.privileged,
      WorkingDir: hook.working_dir ?? '',
      Env: Object.entries(hook.environment).map(([k, v]) => `${k}=${v}`),
      AttachStdout: true,
      AttachStderr: true,
    },
  });
  const output = await api.post<Buffer>(`/exec/${exec.Id}/start`, { body: { Detach: false, Tty: false }, binary: true });
  const info = await api.get<{ ExitCode: number | null }>(`/exec/${exec.Id}/json`);
  if (info.ExitCode !== 0) {
    const { stdout, stderr } = demultiplex(output ?? Buffer.alloc(0));
    const said = tail(stderr) || tail(stdout);
    throw new EngineError(`service ${service}: ${stage} hook \`${hook.command.join(' ')}\` exited with status ${info.ExitCode ?? '?'}${said ? `: ${said}` : ''}`);
  }
}

export async function runHooks(api: EngineApi, service: string, id: string, hooks: ServiceHook[], stage: 'post_start' | 'pre_stop'): Promise<void> {
  for (const h of hooks) await runHook(api, service, id, h, stage);
}
