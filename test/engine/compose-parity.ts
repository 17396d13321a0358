// Contract: runs one compose project under docker-compose 1.29 and under surge on the same engine, from the same
// folder with the same environment, and compares what each created — `docker inspect` of every container, network,
// volume and built image — field by field. What must differ is normalized away here, each rule with its reason:
// names and ids, timestamps, addresses and ports the engine assigns, and each tool's own labels (compared as a
// mapping: com.docker.compose.project ↔ surge.project, …). What docker-compose 1.29 does differently from compose
// v2 is rewritten into what compose v2 does (compose129AsV2), citing v2's code, so the comparison is against today's
// compose. Whatever is left is a difference the test must explain.
import { spawn } from 'node:child_process';
import type Docker from 'dockerode';
import { docker } from './cli.js';

export type Tool = 'compose' | 'surge';
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

export interface Snapshot {
  /** "service#replica" → the normalized container */
  containers: Record<string, Json>;
  /** the network's name in the compose file → the normalized network */
  networks: Record<string, Json>;
  volumes: Record<string, Json>;
  /** images built for the project's services, by service */
  images: Record<string, Json>;
}

export interface Difference {
  path: string;
  compose: Json | undefined;
  surge: Json | undefined;
}

export interface ComposeResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** docker-compose (1.29) with a project name of its own, in the stack's folder; bounded so a hang fails the test. */
export function dockerCompose(args: string[], cwd: string, env: Record<string, string> = {}, timeoutMs = 300_000): Promise<ComposeResult> {
  return new Promise((resolve) => {
    const child = spawn('docker-compose', args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

const LABELS = {
  compose: {
    project: 'com.docker.compose.project',
    service: 'com.docker.compose.service',
    number: 'com.docker.compose.container-number',
    oneoff: 'com.docker.compose.oneoff',
    workingDir: 'com.docker.compose.project.working_dir',
    network: 'com.docker.compose.network',
    volume: 'com.docker.compose.volume',
  },
  surge: { project: 'surge.project', service: 'surge.service', number: 'surge.replica', oneoff: 'surge.oneoff', workingDir: 'surge.working-dir', network: 'surge.network', volume: 'surge.volume' },
} as const;

function isObj(v: Json | undefined): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The project's containers (one-offs left out), inspected, by "service#replica". */
export async function projectContainers(tool: Tool, project: string): Promise<Record<string, Docker.ContainerInspectInfo>> {
  const l = LABELS[tool];
  const list = await docker.listContainers({ all: true, filters: { label: [`${l.project}=${project}`] } });
  const out: Record<string, Docker.ContainerInspectInfo> = {};
  for (const c of list) {
    if (/^(true|True)$/.test(c.Labels[l.oneoff] ?? '')) continue;
    out[`${c.Labels[l.service]}#${c.Labels[l.number]}`] = await docker.getContainer(c.Id).inspect();
  }
  return out;
}

/** Until no container of the project is still starting (compose 1.29's `up -d` does not wait for healthchecks). */
export async function settle(tool: Tool, project: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const containers = Object.values(await projectContainers(tool, project));
    const starting = containers.filter((c) => c.State.Status === 'created' || c.State.Restarting || c.State.Health?.Status === 'starting');
    if (!starting.length) return;
    if (Date.now() > deadline) throw new Error(`${tool} ${project}: still starting after ${timeoutMs} ms: ${starting.map((c) => c.Name).join(', ')}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Rewrites every string: the tool's container names, then its project name, to tool-independent ones. */
function renamer(tool: Tool, project: string, ids: Map<string, string>): (s: string) => string {
  // compose 1.29 names containers project_service_N; compose v2 (and surge) project-service-N.
  const container = tool === 'compose' ? new RegExp(`\\b${project}_([a-z0-9][a-z0-9_.-]*?)_(\\d+)\\b`, 'g') : new RegExp(`\\b${project}-([a-z0-9][a-z0-9_.-]*?)-(\\d+)\\b`, 'g');
  const projectName = new RegExp(`\\b${project}(?=[_-])`, 'g');
  return (s) => {
    let out = s;
    for (const [id, name] of ids) out = out.split(id).join(name).split(id.slice(0, 12)).join(name);
    return out.replace(container, '<project>-$1-$2').replace(projectName, '<project>').replace(/\b[0-9a-f]{64}\b/g, '<anonymous>');
  };
}

function mapStrings(v: Json, f: (s: string) => string): Json {
  if (typeof v === 'string') return f(v);
  if (Array.isArray(v)) return v.map((x) => mapStrings(x, f));
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [f(k), mapStrings(x, f)]));
  return v;
}

/** Each tool's own labels as one mapping (project, service, number, one-off, folder…) and the user's labels as written. */
function splitLabels(tool: Tool, project: string, labels: Record<string, string> | null | undefined): Obj {
  const l = LABELS[tool];
  const own = tool === 'compose' ? /^com\.docker\.compose\./ : /^surge\./;
  const user = Object.fromEntries(Object.entries(labels ?? {}).filter(([k]) => !own.test(k)));
  const mapping: Obj = {};
  for (const [key, label] of Object.entries(l)) {
    const value = labels?.[label];
    if (value !== undefined) mapping[key] = key === 'oneoff' ? value.toLowerCase() : key === 'project' && value === project ? '<project>' : value;
  }
  return { user, tool: mapping };
}

const byKey = (key: string) => (a: Json, b: Json) => String((a as Obj)[key]).localeCompare(String((b as Obj)[key]));
const ENGINE_POOLS = /^(172\.(1[6-9]|2\d|3[01])|192\.168)\./;

/** compose 1.29 (docker-py) differs from compose v2 here; v2 is the reference, so its request is what we compare. */
function compose129AsV2(c: Obj, project: string): void {
  const config = c.Config as Obj;
  const host = c.HostConfig as Obj;
  // 1.29 names a built image project_service; v2 (api.GetImageNameOrDefault) project-service, as surge does.
  if (typeof config.Image === 'string') config.Image = builtImageAsV2(config.Image, project);
  // 1.29 lists every bind and volume target in Config.Volumes; v2 (pkg/compose/create.go, getCreateConfigs) sets no
  // Config.Volumes: only the image's own volumes remain, which both tools get from the engine.
  if (isObj(config.Volumes)) {
    const targets = new Set((c.Mounts as Obj[]).map((m) => m.Destination as string));
    for (const t of Object.keys(config.Volumes)) if (targets.has(t)) delete config.Volumes[t];
    if (!Object.keys(config.Volumes).length) config.Volumes = null;
  }
  // 1.29 sends an empty VolumesFrom list; v2 sends service.VolumesFrom, nil without volumes_from.
  if (Array.isArray(host.VolumesFrom) && !host.VolumesFrom.length) host.VolumesFrom = null;
}

/** One container, normalized: what is left should be equal for the same service under both tools. */
export function normalizeContainer(tool: Tool, project: string, c: Docker.ContainerInspectInfo, rename: (s: string) => string, imageName: (id: string) => string): Json {
  const raw = JSON.parse(JSON.stringify(c)) as Obj;
  if (tool === 'compose') compose129AsV2(raw, project);
  const config = raw.Config as Obj;
  const host = raw.HostConfig as Obj;
  const net = raw.NetworkSettings as Obj;
  const state = raw.State as Obj;
  const health = state.Health as Obj | undefined;
  // The engine's defaults for a hostname: the container id's first 12 characters.
  if (config.Hostname === c.Id.slice(0, 12)) config.Hostname = '<id>';
  config.Labels = splitLabels(tool, project, c.Config.Labels);
  // The same image under both tools; a built one is built twice (another id), so it is compared by name.
  raw.Image = imageName(c.Image);
  // "" and "no" both mean no restart policy (Engine API: "Empty string means not to restart"): compose v2 sends ""
  // for an unset `restart`, surge sends "no" (README: where surge differs from docker compose).
  const restart = host.RestartPolicy as Obj;
  if (restart.Name === '') restart.Name = 'no';
  for (const list of ['Binds', 'Mounts'] as const) if (Array.isArray(host[list])) host[list] = [...host[list]].sort(list === 'Binds' ? undefined : byKey('Target'));
  raw.Mounts = [...(raw.Mounts as Obj[])].sort(byKey('Destination'));
  const networks: Obj = {};
  for (const [name, e] of Object.entries(net.Networks as Record<string, Obj>)) {
    // Addresses and ids the engine assigns; a declared address is in IPAMConfig.
    const { EndpointID: _e, NetworkID: _n, IPAddress: _i, Gateway: _g, MacAddress: _m, IPPrefixLen: _p, GlobalIPv6Address: _6, GlobalIPv6PrefixLen: _6p, IPv6Gateway: _6g, ...kept } = e;
    // The engine adds the container's short id as an alias; compose v2 adds its container name (getAliases), which
    // the engine resolves on a user-defined network anyway: neither is part of what the compose file asks for.
    const own = new Set([c.Id.slice(0, 12), c.Name.replace(/^\//, '')]);
    kept.Aliases = ((e.Aliases as string[] | null) ?? []).filter((a) => !own.has(a)).sort();
    networks[name] = kept;
  }
  // Host ports: a fixed one must match; one the engine picks may not.
  const ports: Obj = {};
  const requested = (host.PortBindings ?? {}) as Record<string, { HostPort: string }[]>;
  for (const [key, bindings] of Object.entries((net.Ports ?? {}) as Record<string, { HostIp: string; HostPort: string }[] | null>)) {
    const fixed = (requested[key] ?? []).every((b) => b.HostPort !== '' && !b.HostPort.includes('-'));
    ports[key] = (bindings ?? []).map((b) => `${b.HostIp}:${fixed ? b.HostPort : '<engine>'}`).sort();
  }
  const pick = (o: Obj, keys: string[]): Obj => Object.fromEntries(keys.map((k) => [k, o[k] ?? null]));
  const normalized: Obj = {
    ...pick(raw, ['Path', 'Args', 'Image', 'RestartCount', 'Platform', 'Driver', 'AppArmorProfile']),
    Config: config,
    HostConfig: host,
    Mounts: raw.Mounts ?? null,
    Networks: networks,
    Ports: ports,
    // The state both should reach; times, pids and the health log are the engine's.
    State: { ...pick(state, ['Status', 'Running', 'ExitCode', 'OOMKilled']), Health: health?.Status ?? null },
  };
  return mapStrings(normalized, rename);
}

export function normalizeNetwork(tool: Tool, project: string, n: Obj, rename: (s: string) => string, containerNames: Map<string, string>): Json {
  const { Id: _id, Created: _c, Containers, Labels, ...rest } = n;
  // compose 1.29 makes every network attachable (compose/network.py: attachable=version_gte(api, '1.24')); v2 sends
  // the network's `attachable` (pkg/compose/create.go, createNetwork), false unless declared, as surge does. No
  // fixture declares it.
  if (tool === 'compose') rest.Attachable = false;
  const ipam = rest.IPAM as Obj;
  // A subnet the engine picked from its default pools differs per network; a declared one must match.
  ipam.Config = ((ipam.Config as Obj[] | null) ?? []).map((p) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, typeof v === 'string' && ENGINE_POOLS.test(v) ? '<engine>' : v])));
  rest.Containers = Object.keys((Containers as Obj | null) ?? {}).map((id) => containerNames.get(id) ?? id).sort();
  rest.Labels = splitLabels(tool, project, Labels as Record<string, string>);
  return mapStrings(rest, rename);
}

export function normalizeVolume(tool: Tool, project: string, v: Obj, rename: (s: string) => string): Json {
  const { CreatedAt: _c, Labels, UsageData: _u, Status: _s, ...rest } = v;
  rest.Labels = splitLabels(tool, project, Labels as Record<string, string>);
  return mapStrings(rest, rename);
}

/** Everything the tool created for the project, normalized. */
export async function snapshot(tool: Tool, project: string): Promise<Snapshot> {
  const l = LABELS[tool];
  const inspected = await projectContainers(tool, project);
  const ids = new Map<string, string>();
  for (const [key, c] of Object.entries(inspected)) ids.set(c.Id, `<container ${key}>`);
  const rename = renamer(tool, project, ids);
  const builtImages: Record<string, Json> = {};
  const imageNames = new Map<string, string>();
  const imageName = (id: string): string => imageNames.get(id) ?? id;
  for (const c of Object.values(inspected)) {
    if (imageNames.has(c.Image)) continue;
    const image = await docker.getImage(c.Image).inspect();
    const tag = image.RepoTags?.[0] ?? id12(c.Image);
    const service = c.Config.Labels[l.service] ?? '';
    const name = tool === 'compose' ? builtImageAsV2(tag, project) : tag;
    imageNames.set(c.Image, rename(name));
    if (tag.startsWith(`${project}`)) builtImages[service] = normalizeImage(tool, project, service, image, rename);
  }
  const containers: Record<string, Json> = {};
  for (const [key, c] of Object.entries(inspected)) containers[key] = normalizeContainer(tool, project, c, rename, imageName);
  const networks: Record<string, Json> = {};
  for (const n of await docker.listNetworks({ filters: { label: [`${l.project}=${project}`] } })) {
    const full = (await docker.getNetwork(n.Id).inspect()) as unknown as Obj;
    const name = ((full.Labels as Record<string, string>)[l.network] ?? n.Name) as string;
    networks[name] = normalizeNetwork(tool, project, full, rename, new Map([...ids].map(([id, key]) => [id, key])));
  }
  const volumes: Record<string, Json> = {};
  const listed = (await docker.listVolumes({ filters: { label: [`${l.project}=${project}`] } })).Volumes ?? [];
  for (const v of listed) {
    const full = (await docker.getVolume(v.Name).inspect()) as unknown as Obj;
    volumes[(full.Labels as Record<string, string>)[l.volume] ?? v.Name] = normalizeVolume(tool, project, full, rename);
  }
  return { containers, networks, volumes, images: builtImages };
}

function builtImageAsV2(name: string, project: string): string {
  return name.startsWith(`${project}_`) ? `${project}-${name.slice(project.length + 1)}` : name;
}

function id12(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

/** A built image: what the Dockerfile made of it, without its ids, times and the builder's intermediate container. */
function normalizeImage(tool: Tool, project: string, service: string, image: Docker.ImageInspectInfo, rename: (s: string) => string): Json {
  const config = JSON.parse(JSON.stringify(image.Config)) as Obj;
  const labels = splitLabels(tool, project, image.Config.Labels as Record<string, string> | null);
  // compose 1.29 labels no built image; v2 labels it with the project and service (pkg/compose/build.go,
  // getImageBuildLabels), as surge does.
  if (tool === 'compose') labels.tool = { project: '<project>', service };
  config.Labels = labels;
  delete config.Image;
  delete config.Hostname;
  return mapStrings({ Config: config, Architecture: image.Architecture, Os: image.Os, RootFS: image.RootFS.Layers?.length ?? 0 } as Obj, rename);
}

/** Every path where the two differ, `Config.Env[2]`-style, with both values. */
export function differences(compose: Json | undefined, surge: Json | undefined, path = ''): Difference[] {
  if (JSON.stringify(compose) === JSON.stringify(surge)) return [];
  if (isObj(compose) && isObj(surge)) {
    const keys = [...new Set([...Object.keys(compose), ...Object.keys(surge)])].sort();
    return keys.flatMap((k) => differences(compose[k], surge[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(compose) && Array.isArray(surge) && compose.length === surge.length) {
    return compose.flatMap((v, i) => differences(v, surge[i], `${path}[${i}]`));
  }
  return [{ path, compose, surge }];
}

/** Both snapshots' differences, each path prefixed with what it is about (`container web#1`, `network default`, …). */
export function compareSnapshots(compose: Snapshot, surge: Snapshot): Difference[] {
  const out: Difference[] = [];
  for (const kind of ['containers', 'networks', 'volumes', 'images'] as const) {
    const names = [...new Set([...Object.keys(compose[kind]), ...Object.keys(surge[kind])])].sort();
    for (const name of names) {
      for (const d of differences(compose[kind][name], surge[kind][name])) out.push({ ...d, path: `${kind}.${name}${d.path ? `.${d.path}` : ''}` });
    }
  }
  return out;
}

/** What is left of a project on the engine, by kind (containers by name). */
export async function leftovers(tool: Tool, project: string): Promise<{ containers: string[]; networks: string[]; volumes: string[] }> {
  const label = `${LABELS[tool].project}=${project}`;
  const containers = (await docker.listContainers({ all: true, filters: { label: [label] } })).map((c) => (c.Names[0] ?? '').replace(/^\//, ''));
  const networks = (await docker.listNetworks({ filters: { label: [label] } })).map((n) => n.Name);
  const volumes = ((await docker.listVolumes({ filters: { label: [label] } })).Volumes ?? []).map((v) => v.Name);
  return { containers: containers.sort(), networks: networks.sort(), volumes: volumes.sort() };
}

/** `docker exec` in a service's first container of either tool; stdout, or the error. */
export async function execIn(tool: Tool, project: string, service: string, command: string[]): Promise<string> {
  const name = tool === 'compose' ? `${project}_${service}_1` : `${project}-${service}-1`;
  const r = await new Promise<ComposeResult>((resolve) => {
    const child = spawn('docker', ['exec', name, ...command], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
  return r.code === 0 ? r.stdout : `exit ${r.code}: ${r.stderr.trim()}`;
}

/** Takes a container's mounts at `target` out of a snapshot (HostConfig.Mounts or Binds, and Mounts), returning them. */
export function takeMount(s: Snapshot, container: string, target: string): { request: Json[]; mount: Json[] } {
  const c = s.containers[container] as Obj | undefined;
  if (!c) return { request: [], mount: [] };
  const host = c.HostConfig as Obj;
  const isTarget = (m: Json) => isObj(m) && (m.Target === target || m.Destination === target);
  const request = ((host.Mounts ?? []) as Json[]).filter(isTarget);
  if (Array.isArray(host.Mounts)) host.Mounts = host.Mounts.filter((m) => !isTarget(m));
  const mount = ((c.Mounts ?? []) as Json[]).filter(isTarget);
  c.Mounts = ((c.Mounts ?? []) as Json[]).filter((m) => !isTarget(m));
  return { request, mount };
}
