// Secrets and configs on a Swarm: each is a Swarm object the service's tasks mount, on whichever node they run. A
// Swarm never changes one, so surge names what it makes by its content (`<project>_<name>_<digest>`): a new content is
// a new object and the services move to it in a rolling update; objects no service mounts any more are removed.
// External ones are used by their name. Content is read where surge runs: a file, a variable, an inline value.
import { readFileSync } from 'node:fs';
import { sha256 } from '../../model/config-hash.js';
import { EngineError, errorMessage } from '../../model/errors.js';
import type { FileMount, Project, Service } from '../../model/model.js';
import { LABEL } from '../../model/naming.js';
import { swarmFileObjectName, type SwarmFileKind } from '../../model/swarm-config.js';
import type { EngineApi } from '../docker/engine-api.js';
import { statusOf } from './util.js';

/** Labels of the objects surge makes: the project, and which of its secrets or configs it holds. */
export const FILE_LABEL = { secret: 'surge.secret', config: 'surge.config-file' } as const;

function content(project: Project, kind: SwarmFileKind, source: string): Buffer | null {
  const declared = (kind === 'secret' ? project.secrets : project.configs)[source];
  if (!declared || declared.external) return null;
  if (declared.content) return Buffer.from(declared.content.reveal());
  if (declared.file) {
    try {
      return readFileSync(declared.file);
    } catch {
      return null;
    }
  }
  return null;
}

/** The content digest of every secret and config the project's Swarm services mount ("secret:NAME" → digest). */
export function fileDigests(project: Project): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const s of Object.values(project.services)) {
    if (s.driver !== 'swarm') continue;
    for (const [kind, mounts] of [['secret', s.secrets], ['config', s.configs]] as const) {
      for (const m of mounts) {
        const key = `${kind}:${m.source}`;
        if (key in out) continue;
        const data = content(project, kind, m.source);
        out[key] = data ? `sha256:${sha256(data.toString('latin1'))}` : null;
      }
    }
  }
  return out;
}

/** Where a task finds it: a secret under /run/secrets by its file name, anything else at its absolute path. */
function fileName(kind: SwarmFileKind, target: string): string {
  return kind === 'secret' && target.startsWith('/run/secrets/') && !target.slice('/run/secrets/'.length).includes('/') ? target.slice('/run/secrets/'.length) : target;
}

async function ensureObject(api: EngineApi, project: Project, kind: SwarmFileKind, source: string, name: string): Promise<string> {
  const declared = (kind === 'secret' ? project.secrets : project.configs)[source];
  const path = kind === 'secret' ? 'secrets' : 'configs';
  if (!declared?.external) {
    const data = content(project, kind, source);
    if (!data) throw new EngineError(`${kind} ${source}: its content cannot be read (${declared?.file ?? declared?.environment ?? 'no source'})`);
    try {
      const created = await api.post<{ ID: string }>(`/${path}/create`, {
        body: { Name: name, Labels: { ...(declared?.labels ?? {}), [LABEL.project]: project.name, [FILE_LABEL[kind]]: source }, Data: data.toString('base64') },
      });
      return created.ID;
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
    }
  }
  try {
    return (await api.get<{ ID: string }>(`/${path}/${encodeURIComponent(name)}`)).ID;
  } catch (err) {
    if (statusOf(err) === 404) throw new EngineError(`external ${kind} "${name}" (${kind}s.${source}) does not exist on the Swarm; create it first (\`docker ${kind} create ${name} FILE\`)`);
    throw err;
  }
}

export interface FileReferences {
  Secrets: Record<string, unknown>[];
  Configs: Record<string, unknown>[];
}

/** Makes (or finds) the objects a service mounts, and says how its tasks mount them. */
export async function fileReferences(api: EngineApi, project: Project, s: Service): Promise<FileReferences> {
  const digests = fileDigests(project);
  const refs: FileReferences = { Secrets: [], Configs: [] };
  for (const [kind, mounts] of [['secret', s.secrets], ['config', s.configs]] as const) {
    for (const m of mounts as FileMount[]) {
      const name = swarmFileObjectName(project, kind, m.source, digests);
      if (!name) throw new EngineError(`${kind} ${m.source} of service ${s.name}: its content cannot be read`);
      const id = await ensureObject(api, project, kind, m.source, name);
      const file = { Name: fileName(kind, m.target), UID: m.uid ?? '0', GID: m.gid ?? '0', Mode: m.mode ?? 0o444 };
      if (kind === 'secret') refs.Secrets.push({ File: file, SecretID: id, SecretName: name });
      else refs.Configs.push({ File: file, ConfigID: id, ConfigName: name });
    }
  }
  return refs;
}

/** Removes the project's secrets and configs that no service mounts any more (a Swarm refuses to remove one in use). */
export async function pruneFiles(api: EngineApi, project: Project): Promise<void> {
  for (const kind of ['secret', 'config'] as const) {
    const path = kind === 'secret' ? 'secrets' : 'configs';
    let list: { ID: string; Spec: { Name: string } }[];
    try {
      list = await api.get(`/${path}`, { query: { filters: { label: [`${LABEL.project}=${project.name}`, FILE_LABEL[kind]] } } });
    } catch {
      return;
    }
    for (const o of list) {
      await api.delete(`/${path}/${encodeURIComponent(o.ID)}`).catch((err: unknown) => {
        // In use by a service: it stays. Gone already: fine.
        if (statusOf(err) !== 400 && statusOf(err) !== 404 && !/in use/.test(errorMessage(err))) throw err;
      });
    }
  }
}
