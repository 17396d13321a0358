// `exec` in a running container and one-off `run` containers, attached to this terminal.
import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import type { Project, Service } from '../../model/model.js';
import type { ObservedContainer } from '../../model/observed.js';
import type { ExecOptions, RunOptions } from '../driver.js';
import { copiedFiles, fileArchive } from './container-files.js';
import { containerCreateOptions } from './container-spec.js';

function attachTerminal(
  stream: NodeJS.ReadWriteStream,
  tty: boolean,
  interactive: boolean,
  docker: Docker,
  resize?: (w: number, h: number) => Promise<unknown>,
  stdout: NodeJS.WritableStream = process.stdout,
): () => void {
  if (tty) stream.pipe(stdout, { end: false });
  else docker.modem.demuxStream(stream, stdout, process.stderr);
  const cleanups: (() => void)[] = [];
  if (interactive) {
    if (tty && process.stdin.isTTY) {
      process.stdin.setRawMode(true);
      cleanups.push(() => process.stdin.setRawMode(false));
    }
    process.stdin.pipe(stream);
    process.stdin.resume();
    cleanups.push(() => {
      process.stdin.unpipe(stream);
      process.stdin.pause();
    });
  }
  if (tty && resize && process.stdout.isTTY) {
    const onResize = (): void => void resize(process.stdout.columns, process.stdout.rows).catch(() => undefined);
    onResize();
    process.stdout.on('resize', onResize);
    cleanups.push(() => process.stdout.off('resize', onResize));
  }
  return () => cleanups.forEach((c) => c());
}

export async function execIn(docker: Docker, container: ObservedContainer, command: string[], options: ExecOptions): Promise<number> {
  const exec = await docker.getContainer(container.id).exec({
    Cmd: command,
    AttachStdin: options.interactive,
    AttachStdout: true,
    AttachStderr: true,
    Tty: options.tty,
    Env: Object.entries(options.env).map(([k, v]) => `${k}=${v}`),
    ...(options.user ? { User: options.user } : {}),
    ...(options.workdir ? { WorkingDir: options.workdir } : {}),
  });
  const stream = await exec.start({ hijack: true, stdin: options.interactive, Tty: options.tty });
  const detach = attachTerminal(stream, options.tty, options.interactive, docker, (w, h) => exec.resize({ w, h }), options.stdout);
  await new Promise<void>((resolve) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', () => resolve());
  });
  detach();
  const info = await exec.inspect();
  return info.ExitCode ?? 1;
}

export async function runOneOff(docker: Docker, project: Project, service: Service, options: RunOptions, version: string, configHash: string, configSalt: string | null = null): Promise<number> {
  const name = `${project.name}-${service.name}-run-${randomBytes(3).toString('hex')}`;
  const spec = containerCreateOptions({ project, service: { ...service, ports: [], container_name: null }, replica: 1, configHash, configSalt, surgeVersion: version, oneoff: true }, name);
  if (options.command) spec.Cmd = options.command;
  if (options.entrypoint) spec.Entrypoint = options.entrypoint;
  if (options.user) spec.User = options.user;
  if (options.workdir) spec.WorkingDir = options.workdir;
  spec.Env = [...(spec.Env ?? []), ...Object.entries(options.env).map(([k, v]) => `${k}=${v}`)];
  spec.Tty = options.tty;
  spec.OpenStdin = options.interactive;
  spec.StdinOnce = options.interactive;
  spec.AttachStdin = options.interactive;
  spec.AttachStdout = true;
  spec.AttachStderr = true;
  if (spec.HostConfig) spec.HostConfig.RestartPolicy = { Name: 'no' };
  const container = await docker.createContainer(spec);
  try {
    // Environment and inline secrets/configs are copied in before the start, as for the service's own containers.
    const files = copiedFiles(project, service);
    if (files.length) await container.putArchive(await fileArchive(files), { path: '/', ...(files.some((f) => f.uid !== null || f.gid !== null) ? { copyUIDGID: true } : {}) });
    const stream = (await container.attach({ stream: true, stdin: options.interactive, stdout: true, stderr: true, hijack: true })) as NodeJS.ReadWriteStream;
    const detach = attachTerminal(stream, options.tty, options.interactive, docker, (w, h) => container.resize({ w, h }));
    // Asked before start so a quick exit is not missed, but for the next exit: the default condition
    // ("not-running") answers at once, with code 0, while the container is still only created.
    const waited = container.wait({ condition: 'next-exit' });
    await container.start();
    const result = (await waited) as { StatusCode: number };
    detach();
    return result.StatusCode;
  } finally {
    if (options.remove) await container.remove({ force: true, v: true }).catch(() => undefined);
  }
}
