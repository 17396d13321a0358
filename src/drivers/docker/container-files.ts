// Secrets and configs whose content comes from the environment or the Boltfile (`content`): copied into the container
// before each start as one archive, as compose does on a single engine (file-based ones are read-only binds,
// container-host.ts). The content goes to the engine only; no message carries it.
import { EngineError, errorMessage } from '../../model/errors.js';
import type { FileMount, Project, Service } from '../../model/model.js';
import type { EngineApi } from './engine-api.js';

/** One tar of the files, owner and mode as the service asks (0444 by default, compose's). */
export async function fileArchive(files: FileMount[]): Promise<Buffer> {
  // Loaded here, not at the top: every command that talks to the engine loads this module, few copy files in, and
  // the tar library (~80 KB) was a tenth of what a no-op `surge up` parsed at start-up.
  const { pack } = await import('tar-stream');
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    p.on('end', () => resolve());
    p.on('error', reject);
  });
  for (const f of files) {
    const data = Buffer.from(f.content?.reveal() ?? '', 'utf8');
    await new Promise<void>((resolve, reject) => {
      p.entry(
        { name: f.target.replace(/^\/+/, ''), size: data.length, mode: f.mode ?? 0o444, uid: Number(f.uid ?? 0), gid: Number(f.gid ?? 0), mtime: new Date() },
        data,
        (err) => (err ? reject(err) : resolve()),
      );
    });
  }
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** The secrets and configs to copy in, or an error naming what a single engine cannot provide. */
export function copiedFiles(project: Project, s: Service): FileMount[] {
  const out: FileMount[] = [];
  for (const [kind, list, declared] of [['secret', s.secrets, project.secrets], ['config', s.configs, project.configs]] as const) {
    for (const f of list) {
      const source = declared[f.source];
      if (source?.external) throw new EngineError(`service ${s.name}: ${kind} "${f.source}" is external: only a Swarm provides it`);
      if (f.file !== null) continue;
      if (!f.content) throw new EngineError(`service ${s.name}: ${kind} "${f.source}" has no content (is ${source?.environment ?? 'its variable'} set?)`);
      out.push(f);
    }
  }
  return out;
}

export async function copyFilesIn(api: EngineApi, project: Project, s: Service, id: string): Promise<void> {
  const files = copiedFiles(project, s);
  if (!files.length) return;
  const owned = files.some((f) => f.uid !== null || f.gid !== null);
  try {
    await api.put(`/containers/${id}/archive`, { query: { path: '/', copyUIDGID: owned ? true : undefined }, raw: { data: await fileArchive(files), contentType: 'application/x-tar' } });
  } catch (err) {
    throw new EngineError(`service ${s.name}: cannot copy its secrets and configs into the container: ${errorMessage(err)}`);
  }
}
