// The Docker Engine API's JSON calls (list, inspect, create, start, stop, remove, rename, connect) over keep-alive
// connections. They are what every command makes, so they must not pay for dockerode's import: dockerode loads ssh2
// and gRPC up front (about 200 ms of start-up on a 2-core machine). dockerode is still used, lazily, for the
// streaming calls it does well: pull and build progress, logs, exec and attach, archives.
import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { withDockerContext } from './docker-context.js';

const DEFAULT_SOCKET = '/var/run/docker.sock';

/** Where the engine listens, resolved the way the docker CLI does it: DOCKER_HOST, else the default socket. */
export interface Endpoint {
  socketPath?: string;
  host?: string;
  port?: number;
  protocol: 'http' | 'https';
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

export function describeDockerEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  try {
    return withDockerContext(env).DOCKER_HOST ?? `unix://${DEFAULT_SOCKET}`;
  } catch {
    return env.DOCKER_HOST ?? `unix://${DEFAULT_SOCKET}`;
  }
}

/** DOCKER_HOST (with DOCKER_TLS_VERIFY, DOCKER_CERT_PATH), else the current docker context, else the default socket. */
export function resolveEndpoint(given: NodeJS.ProcessEnv = process.env): Endpoint {
  const env = withDockerContext(given);
  const host = env.DOCKER_HOST;
  if (!host) return { socketPath: DEFAULT_SOCKET, protocol: 'http' };
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length), protocol: 'http' };
  if (!/^(tcp|http|https):\/\//.test(host)) throw new Error(`unsupported DOCKER_HOST ${host}: use unix:///path or tcp://host:port`);
  const tls = Boolean(env.DOCKER_TLS_VERIFY) || host.startsWith('https:');
  const url = new URL(host.replace(/^tcp:/, tls ? 'https:' : 'http:'));
  const endpoint: Endpoint = { host: url.hostname, port: Number(url.port) || (tls ? 2376 : 2375), protocol: tls ? 'https' : 'http' };
  if (env.DOCKER_TLS_VERIFY) {
    const dir = env.DOCKER_CERT_PATH ?? join(env.HOME ?? '', '.docker');
    endpoint.ca = readFileSync(join(dir, 'ca.pem'));
    endpoint.cert = readFileSync(join(dir, 'cert.pem'));
    endpoint.key = readFileSync(join(dir, 'key.pem'));
  }
  return endpoint;
}

/** An answer of the engine other than 2xx. `statusCode` is what callers branch on (404 gone, 304 already, 409 busy). */
export class EngineApiError extends Error {
  constructor(
    readonly statusCode: number,
    /** the engine's own words, e.g. "No such container: abc" */
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'EngineApiError';
  }
}

export type Query = Record<string, string | number | boolean | Record<string, string[]> | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** a body other than JSON (an archive for PUT /containers/{id}/archive) */
  raw?: { data: Buffer; contentType: string };
  /** answer with the body's bytes (an exec's multiplexed output) instead of parsed JSON */
  binary?: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** An answer with the engine's clock: its Date header in unix ms (second resolution), or null without one. */
export interface Dated<T> {
  body: T;
  date: number | null;
}

function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    params.set(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

function readBody(res: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks)));
    res.on('error', reject);
  });
}

/** node:https, loaded for a TLS engine only: it brings node:tls (~1.6 ms of every command on a unix socket). */
let httpsModule: typeof import('node:https') | undefined;
const https = (): typeof import('node:https') => (httpsModule ??= createRequire(import.meta.url)('node:https') as typeof import('node:https'));

export class EngineApi {
  private readonly agent: HttpAgent;
  private readonly send: typeof httpRequest;

  constructor(
    readonly endpoint: Endpoint,
    /** where it is, as the user wrote it (DOCKER_HOST), for messages */
    readonly address: string = endpoint.socketPath ? `unix://${endpoint.socketPath}` : `${endpoint.protocol}://${endpoint.host ?? ''}:${endpoint.port ?? ''}`,
  ) {
    // Keep-alive: a plan of a hundred actions reuses a few connections instead of opening one per call.
    this.agent =
      endpoint.protocol === 'https'
        ? new (https().Agent)({ keepAlive: true, ca: endpoint.ca, cert: endpoint.cert, key: endpoint.key })
        : new HttpAgent({ keepAlive: true });
    this.send = endpoint.protocol === 'https' ? https().request : httpRequest;
  }

  request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    return this.requestDated<T>(method, path, options).then((answer) => answer.body);
  }

  /** `request`, with the time on the engine's own clock when it answered (for leases judged on one clock). */
  requestDated<T>(method: string, path: string, options: RequestOptions = {}): Promise<Dated<T>> {
    const { endpoint } = this;
    const payload = options.raw?.data ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const contentType = options.raw?.contentType ?? 'application/json';
    const send = this.send;
    return new Promise<Dated<T>>((resolve, reject) => {
      const req = send(
        {
          method,
          path: `${path}${queryString(options.query)}`,
          agent: this.agent,
          ...(endpoint.socketPath ? { socketPath: endpoint.socketPath } : { host: endpoint.host, port: endpoint.port }),
          headers: payload === undefined ? {} : { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(payload) },
          signal: options.signal,
          timeout: options.timeoutMs,
        },
        (res) => {
          readBody(res).then((bytes) => {
            const status = res.statusCode ?? 0;
            const date = Date.parse(res.headers.date ?? '');
            const when = Number.isFinite(date) ? date : null;
            if (options.binary && status >= 200 && status < 300) return resolve({ body: bytes as T, date: when });
            const text = bytes.toString('utf8');
            let json: unknown = undefined;
            if (text && /json/.test(res.headers['content-type'] ?? '')) {
              try {
                json = JSON.parse(text);
              } catch {
                json = undefined;
              }
            }
            if (status >= 200 && status < 300) return resolve({ body: json as T, date: when });
            const message = (json as { message?: unknown } | undefined)?.message;
            reject(new EngineApiError(status, typeof message === 'string' && message ? message : text.trim() || `HTTP ${status}`));
          }, reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${(options.timeoutMs ?? 0) / 1000} s`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  get<T>(path: string, options?: RequestOptions): Promise<T> {
    return this.request<T>('GET', path, options);
  }

  post<T = void>(path: string, options?: RequestOptions): Promise<T> {
    return this.request<T>('POST', path, options);
  }

  put<T = void>(path: string, options?: RequestOptions): Promise<T> {
    return this.request<T>('PUT', path, options);
  }

  delete<T = void>(path: string, options?: RequestOptions): Promise<T> {
    return this.request<T>('DELETE', path, options);
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The parts of the engine's answers surge reads. */
export interface ContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  ImageID: string;
  Labels: Record<string, string> | null;
  State: string;
  Status: string;
  Ports: { IP?: string; PrivatePort: number; PublicPort?: number; Type: string }[] | null;
  Mounts?: { Type: string; Name?: string }[] | null;
}

export interface NetworkSummary {
  Id: string;
  Name: string;
  Labels: Record<string, string> | null;
  Created?: string;
  /** filled by the inspect call only (the list leaves it empty) */
  Containers?: Record<string, { Name?: string }> | null;
}

export interface VolumeSummary {
  Name: string;
  Labels: Record<string, string> | null;
}

export interface ImageSummary {
  Id: string;
  RepoTags: string[] | null;
}

export interface ContainerInspect {
  Id: string;
  Name?: string;
  Config?: { Labels?: Record<string, string> | null };
  Mounts?: { Type: string; Name?: string; Destination: string }[];
  NetworkSettings?: { Networks?: Record<string, unknown> | null };
}
