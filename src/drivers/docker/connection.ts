// Connects the way the docker CLI does: DOCKER_HOST (unix or tcp, with TLS settings), else the default socket.
import type Docker from 'dockerode';
import { EngineError, errorMessage } from '../../model/errors.js';
import { describeDockerEndpoint, EngineApi, resolveEndpoint, type Endpoint } from './engine-api.js';

export { describeDockerEndpoint };

/** A client that answered a ping, or one clear EngineError saying where surge looked and how to fix it. */
export async function openEngine(env: NodeJS.ProcessEnv = process.env, timeoutMs = 3000): Promise<EngineApi> {
  const where = describeDockerEndpoint(env);
  let api: EngineApi;
  try {
    api = new EngineApi(resolveEndpoint(env), where);
  } catch (err) {
    throw new EngineError(`cannot use DOCKER_HOST=${where}: ${errorMessage(err)}`, 'engine-unreachable');
  }
  try {
    await api.get('/_ping', { timeoutMs });
  } catch (err) {
    api.close();
    const code = (err as NodeJS.ErrnoException).code;
    const why = code ? `connect ${code}` : errorMessage(err);
    throw new EngineError(
      `cannot reach a Docker engine at ${where} (${why}). Start it (\`npm run engine\` in a surge checkout, or \`sudo dockerd\`), or point DOCKER_HOST at one.`,
      'engine-unreachable',
      { cause: err },
    );
  }
  return api;
}

/** dockerode for the streaming calls, on the same endpoint; loaded only when one is made. */
export async function openDockerode(endpoint: Endpoint): Promise<Docker> {
  const { default: Dockerode } = await import('dockerode');
  const { socketPath, host, port, protocol, ca, cert, key } = endpoint;
  return new Dockerode(socketPath ? { socketPath } : { host, port, protocol, ca, cert, key });
}
