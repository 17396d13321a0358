// Connects the way the docker CLI does: DOCKER_HOST (unix or tcp, with TLS settings), else the default socket.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { EngineError, errorMessage } from '../../errors.js';

const DEFAULT_SOCKET = '/var/run/docker.sock';

export function describeDockerEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_HOST ?? `unix://${DEFAULT_SOCKET}`;
}

export function dockerOptions(env: NodeJS.ProcessEnv = process.env): Docker.DockerOptions {
  const host = env.DOCKER_HOST;
  if (!host) return { socketPath: DEFAULT_SOCKET };
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) };
  const url = new URL(host.replace(/^tcp:/, env.DOCKER_TLS_VERIFY ? 'https:' : 'http:'));
  const options: Docker.DockerOptions = {
    host: url.hostname,
    port: url.port || (env.DOCKER_TLS_VERIFY ? 2376 : 2375),
    protocol: env.DOCKER_TLS_VERIFY ? 'https' : 'http',
  };
  if (env.DOCKER_TLS_VERIFY) {
    const dir = env.DOCKER_CERT_PATH ?? join(env.HOME ?? '', '.docker');
    options.ca = readFileSync(join(dir, 'ca.pem'));
    options.cert = readFileSync(join(dir, 'cert.pem'));
    options.key = readFileSync(join(dir, 'key.pem'));
  }
  return options;
}

/** A client that answered a ping, or one clear EngineError saying where surge looked and how to fix it. */
export async function openDocker(timeoutMs = 3000): Promise<Docker> {
  const where = describeDockerEndpoint();
  let docker: Docker;
  try {
    docker = new Docker(dockerOptions());
  } catch (err) {
    throw new EngineError(`cannot use DOCKER_HOST=${where}: ${errorMessage(err)}`);
  }
  try {
    await Promise.race([
      docker.ping(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs).unref()),
    ]);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code ? `connect ${code}` : errorMessage(err);
    throw new EngineError(
      `cannot reach a Docker engine at ${where} (${why}). Start it (\`npm run engine\` in a surge checkout, or \`sudo dockerd\`), or point DOCKER_HOST at one.`,
    );
  }
  return docker;
}
