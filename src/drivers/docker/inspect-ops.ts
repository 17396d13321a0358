// The engine calls behind the compose commands beyond the core: kill, pause/unpause, top, wait, images, and the
// projects an engine holds (ls). One call each; the operation above decides which containers.
import { EngineError, errorMessage, UserError } from '../../model/errors.js';
import { LABEL } from '../../model/naming.js';
import type { ObservedContainer } from '../../model/observed.js';
import type { ImageInfo, ProcessTable, ProjectSummary } from '../inspect-types.js';
import type { ContainerSummary, EngineApi } from './engine-api.js';
import { notFound } from './resources.js';
import { compareText } from '../../model/order.js';

/** The engine's refusal in words, naming the container: "cannot pause shop-web-1: Container … is not running". */
async function call<T>(what: string, c: ObservedContainer, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const status = (err as { statusCode?: number }).statusCode;
    if (status === 404) throw new UserError(`cannot ${what} ${c.name}: it no longer exists`, 'precondition');
    if (status === 409) throw new UserError(`cannot ${what} ${c.name}: ${errorMessage(err)}`, 'precondition');
    throw new EngineError(`cannot ${what} ${c.name}: ${errorMessage(err)}`);
  }
}

export function killContainer(api: EngineApi, c: ObservedContainer, signal: string): Promise<void> {
  return call('kill', c, () => api.post(`/containers/${c.id}/kill`, { query: { signal } }));
}

export function pauseContainer(api: EngineApi, c: ObservedContainer): Promise<void> {
  return call('pause', c, () => api.post(`/containers/${c.id}/pause`));
}

export function unpauseContainer(api: EngineApi, c: ObservedContainer): Promise<void> {
  return call('unpause', c, () => api.post(`/containers/${c.id}/unpause`));
}

export function topOfContainer(api: EngineApi, c: ObservedContainer): Promise<ProcessTable> {
  return call('list the processes of', c, async () => {
    const r = await api.get<{ Titles: string[] | null; Processes: string[][] | null }>(`/containers/${c.id}/top`);
    return { titles: r.Titles ?? [], processes: r.Processes ?? [] };
  });
}

/** The engine answers once the container is not running (at once when it already is not). */
export function waitForContainer(api: EngineApi, c: ObservedContainer, signal: AbortSignal): Promise<number | null> {
  return call('wait for', c, async () => {
    const r = await api.post<{ StatusCode?: number }>(`/containers/${c.id}/wait`, { query: { condition: 'not-running' }, signal });
    return r?.StatusCode ?? null;
  });
}

/** "docker.io/library/nginx:1.27" → nginx, 1.27; "sha256:…" (the tag moved on) → no repository. */
export function splitImageRef(ref: string): { repository: string; tag: string } {
  if (/^sha256:[0-9a-f]+$/.test(ref) || /^[0-9a-f]{12,64}$/.test(ref)) return { repository: '', tag: '' };
  let name = ref;
  let tag = '';
  const at = name.indexOf('@');
  if (at >= 0) name = name.slice(0, at);
  else {
    const colon = name.lastIndexOf(':');
    if (colon > name.lastIndexOf('/')) {
      tag = name.slice(colon + 1);
      name = name.slice(0, colon);
    } else tag = 'latest';
  }
  name = name.replace(/^(docker\.io|index\.docker\.io)\//, '').replace(/^library\//, '');
  return { repository: name, tag };
}

interface ImageInspect {
  Id: string;
  Created?: string;
  Size?: number;
  Os?: string;
  Architecture?: string;
  Variant?: string;
}

export async function imagesOf(api: EngineApi, containers: ObservedContainer[]): Promise<ImageInfo[]> {
  return Promise.all(
    containers.map(async (c) => {
      const ref = c.image ?? c.imageId ?? '';
      const { repository, tag } = splitImageRef(ref);
      let img: ImageInspect | null = null;
      try {
        img = await api.get<ImageInspect>(`/images/${encodeURIComponent(c.imageId ?? ref)}/json`);
      } catch (err) {
        // Removed since (`docker rmi -f`): say what the container itself knows, as compose does.
        if (!notFound(err)) throw new EngineError(`cannot inspect the image of ${c.name}: ${errorMessage(err)}`);
      }
      return {
        container: c.name,
        service: c.service,
        id: img?.Id ?? c.imageId ?? '',
        repository,
        tag,
        platform: img?.Os ? [img.Os, img.Architecture, img.Variant].filter(Boolean).join('/') : '',
        size: img?.Size ?? 0,
        created: img?.Created ?? null,
      };
    }),
  );
}

/** Every project on the engine with a container (running ones only unless `all`), from surge's labels. */
export async function projectsOnEngine(api: EngineApi, all: boolean): Promise<ProjectSummary[]> {
  const list = await api.get<ContainerSummary[]>('/containers/json', { query: { all, filters: { label: [LABEL.project, LABEL.service] } } });
  const byName = new Map<string, ProjectSummary>();
  for (const c of list) {
    const labels = c.Labels ?? {};
    const name = labels[LABEL.project];
    if (!name || labels[LABEL.oneoff] === 'true') continue;
    const p = byName.get(name) ?? { name, states: [], configFiles: [] };
    p.states.push(c.State);
    for (const f of (labels[LABEL.configFiles] ?? '').split(',').filter(Boolean)) if (!p.configFiles.includes(f)) p.configFiles.push(f);
    byName.set(name, p);
  }
  return [...byName.values()].sort((a, b) => compareText(a.name, b.name));
}
