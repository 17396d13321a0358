// Pulling and building images, with progress lines, and errors that name the service and the image.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type Docker from 'dockerode';
import { EngineError, errorMessage } from '../../model/errors.js';
import type { Project, Service } from '../../model/model.js';
import { imageRef } from '../../model/naming.js';
import type { ActionContext } from '../driver.js';
import { LABEL } from '../../model/naming.js';

interface ProgressEvent {
  status?: string;
  id?: string;
  progress?: string;
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
}

function follow(docker: Docker, stream: NodeJS.ReadableStream, ctx: ActionContext): Promise<string | null> {
  return new Promise((resolve, reject) => {
    let failure: string | null = null;
    const onAbort = (): void => (stream as unknown as { destroy?: () => void }).destroy?.();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    docker.modem.followProgress(
      stream,
      (err: Error | null) => {
        ctx.signal.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve(failure);
      },
      (e: ProgressEvent) => {
        if (e.error || e.errorDetail?.message) failure = e.errorDetail?.message ?? e.error ?? 'failed';
        const line = (e.stream ?? [e.id, e.status, e.progress].filter(Boolean).join(' ')).trim();
        if (line) ctx.log(line);
      },
    );
  });
}

function servicesUsing(project: Project, ref: string): string[] {
  return Object.values(project.services)
    .filter((s) => s.driver === 'docker' && imageRef(project, s) === ref)
    .map((s) => s.name)
    .sort();
}

export async function pullImage(docker: Docker, project: Project, ref: string, ctx: ActionContext): Promise<void> {
  const who = servicesUsing(project, ref).join(', ') || 'image';
  let failure: string | null;
  try {
    const stream = (await docker.pull(ref, { abortSignal: ctx.signal })) as NodeJS.ReadableStream;
    failure = await follow(docker, stream, ctx);
  } catch (err) {
    failure = errorMessage(err).replace(/^\(HTTP code \d+\) [a-z ]+ - /, '');
  }
  if (failure) throw new EngineError(`service ${who}: cannot pull image "${ref}": ${failure.trim()}`);
}

/** Files of the build context relative to it; dockerode applies .dockerignore to this list. */
function contextFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

/** The classic builder's options (the /build API's query): what the service's `build` asks for. */
export function buildOptions(project: Project, service: Service, ref: string): Record<string, unknown> {
  const b = service.build;
  if (!b) throw new Error(`bug: service ${service.name} has no build`);
  // forcerm: a failing step must not leave its stopped intermediate container behind on the engine.
  const options: Record<string, unknown> = {
    // A second name for the built image is one more `t`; the first one is the image the service runs.
    t: b.tags.length ? [ref, ...b.tags] : ref,
    buildargs: b.args,
    forcerm: true,
    nocache: b.no_cache,
    labels: { ...b.labels, [LABEL.project]: project.name, [LABEL.service]: service.name },
  };
  if (b.dockerfile) options.dockerfile = b.dockerfile;
  if (b.target) options.target = b.target;
  // The engine reads these as JSON text in the query, not as repeated parameters.
  if (b.cache_from.length) options.cachefrom = JSON.stringify(b.cache_from);
  if (b.network) options.networkmode = b.network;
  const platform = service.platform ?? b.platforms[0];
  if (platform) options.platform = platform;
  if (b.extra_hosts.length) options.extrahosts = b.extra_hosts.join(',');
  if (b.shm_size_bytes !== null) options.shmsize = b.shm_size_bytes;
  if (b.pull) options.pull = true;
  if (b.isolation) options.isolation = b.isolation;
  const ulimits = Object.entries(b.ulimits).map(([Name, u]) => ({ Name, Soft: u.soft, Hard: u.hard }));
  if (ulimits.length) options.ulimits = JSON.stringify(ulimits);
  return options;
}

export async function buildImage(docker: Docker, project: Project, service: Service, ref: string, ctx: ActionContext): Promise<void> {
  const b = service.build;
  if (!b) throw new Error(`bug: service ${service.name} has no build`);
  let files: string[];
  try {
    files = contextFiles(b.context);
  } catch (err) {
    throw new EngineError(`service ${service.name}: build context ${b.context} cannot be read: ${errorMessage(err)}`);
  }
  const options = buildOptions(project, service, ref);
  options.abortSignal = ctx.signal;
  let failure: string | null;
  try {
    const stream = await docker.buildImage({ context: b.context, src: files }, options);
    failure = await follow(docker, stream, ctx);
  } catch (err) {
    failure = errorMessage(err);
  }
  if (failure) throw new EngineError(`service ${service.name}: building image "${ref}" failed: ${failure.trim()}`);
}
