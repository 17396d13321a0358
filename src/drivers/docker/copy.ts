// `surge cp` on a Docker engine, with `docker cp`'s rules: a destination that is an existing folder receives the
// source inside it under its own name; otherwise the source is written as the destination (a folder's contents
// go into a new folder of that name). Archives go through the engine's archive endpoints as tar streams.
import type { IncomingMessage } from 'node:http';
import { createReadStream, createWriteStream, lstatSync, mkdirSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, type Stats } from 'node:fs';
import { basename, dirname, join, posix, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type Docker from 'dockerode';
import { extract, pack, type Pack } from 'tar-stream';
import { EngineError, errorMessage, UserError } from '../../model/errors.js';
import type { ObservedContainer } from '../../model/observed.js';

/** Go's os.ModeDir, as the engine reports a path's mode. */
const GO_MODE_DIR = 2 ** 31;

function statusOf(err: unknown): number | undefined {
  return (err as { statusCode?: number }).statusCode;
}

/** Whether `path` is a folder in the container; null when it does not exist. */
async function containerPathIsDir(c: Docker.Container, path: string): Promise<boolean | null> {
  try {
    const res = (await c.infoArchive({ path })) as unknown as IncomingMessage;
    res.resume?.();
    const header = res.headers?.['x-docker-container-path-stat'];
    if (typeof header !== 'string') return false;
    const stat = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as { mode: number };
    return Math.floor(stat.mode / GO_MODE_DIR) % 2 === 1;
  } catch (err) {
    if (statusOf(err) === 404) return null;
    throw err;
  }
}

function localStat(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

function addEntry(p: Pack, name: string, path: string, st: Stats): Promise<void> {
  return new Promise((done, fail) => {
    if (st.isSymbolicLink()) {
      p.entry({ name, type: 'symlink', linkname: readlinkSync(path), mode: st.mode & 0o7777, mtime: st.mtime }, (e) => (e ? fail(e) : done()));
    } else if (st.isDirectory()) {
      p.entry({ name, type: 'directory', mode: st.mode & 0o7777, mtime: st.mtime }, (e) => (e ? fail(e) : done()));
    } else {
      const entry = p.entry({ name, size: st.size, mode: st.mode & 0o7777, mtime: st.mtime }, (e) => (e ? fail(e) : done()));
      createReadStream(path).on('error', fail).pipe(entry);
    }
  });
}

/** A tar of `source` (a file or a folder, recursively) whose top entry is named `top`. */
async function packTree(p: Pack, source: string, top: string): Promise<void> {
  const walk = async (path: string, name: string): Promise<void> => {
    const st = lstatSync(path);
    await addEntry(p, name, path, st);
    if (st.isDirectory()) for (const e of readdirSync(path).sort()) await walk(join(path, e), `${name}/${e}`);
  };
  await walk(source, top);
  p.finalize();
}

export async function copyToContainer(docker: Docker, container: ObservedContainer, source: string, destination: string): Promise<void> {
  const st = localStat(source);
  if (!st) throw new UserError(`cannot copy ${source}: no such file or folder on this host`);
  const c = docker.getContainer(container.id);
  const destIsDir = await containerPathIsDir(c, destination);
  if (destIsDir === null && destination.endsWith('/')) throw new UserError(`${container.name}:${destination} does not exist (a destination ending with / must be an existing folder)`);
  if (destIsDir === false && st.isDirectory()) throw new UserError(`cannot copy the folder ${source} onto the file ${container.name}:${destination}`);
  const into = destIsDir ? destination : posix.dirname(destination);
  const top = destIsDir ? basename(resolve(source)) : posix.basename(destination);
  const p = pack();
  const packing = packTree(p, source, top);
  try {
    await c.putArchive(p as unknown as NodeJS.ReadableStream, { path: into });
    await packing;
  } catch (err) {
    if (statusOf(err) === 404) throw new UserError(`${container.name}:${into} does not exist`);
    throw new EngineError(`cannot copy ${source} to ${container.name}:${destination}: ${errorMessage(err)}`);
  }
}

export async function copyFromContainer(docker: Docker, container: ObservedContainer, source: string, destination: string): Promise<void> {
  const c = docker.getContainer(container.id);
  let stream: NodeJS.ReadableStream;
  try {
    stream = (await c.getArchive({ path: source })) as NodeJS.ReadableStream;
  } catch (err) {
    if (statusOf(err) === 404) throw new UserError(`${container.name}:${source} does not exist`);
    throw new EngineError(`cannot copy ${container.name}:${source}: ${errorMessage(err)}`);
  }
  const dest = localStat(destination);
  // The archive's top entry is the source's own name; it lands inside an existing folder, else as `destination`.
  const root = dest?.isDirectory() ? null : resolve(destination);
  const base = resolve(dest?.isDirectory() ? destination : dirname(destination));
  if (!localStat(base)) throw new UserError(`cannot copy to ${destination}: ${base} does not exist`);
  const x = extract();
  x.on('entry', (header, body, next) => {
    const parts = header.name.replace(/\/+$/, '').split('/');
    const target = root ? join(root, ...parts.slice(1)) : join(base, ...parts);
    // An archive entry never writes outside the destination.
    const rel = relative(root ?? base, target);
    if (rel.startsWith(`..${sep}`) || rel === '..') {
      body.resume();
      return next();
    }
    const existing = localStat(target);
    if (header.type === 'directory') {
      if (existing && !existing.isDirectory()) {
        body.resume();
        return next(new UserError(`cannot copy the folder ${container.name}:${source} onto the file ${target}`));
      }
      mkdirSync(target, { recursive: true, mode: header.mode });
      body.resume();
      next();
    } else if (header.type === 'symlink') {
      rmSync(target, { force: true });
      symlinkSync(header.linkname ?? '', target);
      body.resume();
      next();
    } else if (header.type === 'file' || header.type === 'contiguous-file') {
      if (existing?.isDirectory()) {
        body.resume();
        return next(new UserError(`cannot copy the file ${container.name}:${source} onto the folder ${target}`));
      }
      mkdirSync(dirname(target), { recursive: true });
      pipeline(body, createWriteStream(target, { mode: header.mode })).then(() => next(), next);
    } else {
      body.resume();
      next();
    }
  });
  await pipeline(stream, x);
}
