// Watch's `sync`: one archive of changed files put into the running container, one exec for deletions.
import { createReadStream, statSync } from 'node:fs';
import type Docker from 'dockerode';
import { pack } from 'tar-stream';
import type { ObservedContainer } from '../../model/observed.js';
import type { SyncEntry } from '../driver.js';

async function archive(entries: SyncEntry[]): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    p.on('end', () => resolve());
    p.on('error', reject);
  });
  for (const e of entries) {
    const st = statSync(e.hostPath);
    await new Promise<void>((resolve, reject) => {
      const entry = p.entry({ name: e.containerPath.replace(/^\/+/, ''), size: st.size, mode: st.mode & 0o7777, mtime: st.mtime }, (err) => (err ? reject(err) : resolve()));
      createReadStream(e.hostPath).on('error', reject).pipe(entry);
    });
  }
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

export async function syncInto(docker: Docker, container: ObservedContainer, copy: SyncEntry[], remove: string[]): Promise<void> {
  const c = docker.getContainer(container.id);
  if (copy.length) await c.putArchive(await archive(copy), { path: '/' });
  if (remove.length) {
    const exec = await c.exec({ Cmd: ['rm', '-rf', '--', ...remove], AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({});
    await new Promise<void>((resolve) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.resume();
    });
  }
}
