// Docker CLI contexts: without DOCKER_HOST, the docker CLI talks to the endpoint of the current context (DOCKER_CONTEXT,
// else `currentContext` in ~/.docker/config.json). surge does the same, reading the CLI's own files: a context's
// endpoint becomes DOCKER_HOST, and its TLS material (when it has some) DOCKER_TLS_VERIFY and DOCKER_CERT_PATH.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

type Env = NodeJS.ProcessEnv;

function configDir(env: Env): string {
  return env.DOCKER_CONFIG ?? join(env.HOME ?? '', '.docker');
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** The current context's name, or null for the default one (DOCKER_HOST, else the local socket). */
export function currentContext(env: Env): string | null {
  const name = env.DOCKER_CONTEXT || (readJson(join(configDir(env), 'config.json')) as { currentContext?: string } | null)?.currentContext;
  return name && name !== 'default' ? name : null;
}

/**
 * The environment with the current context's endpoint filled in, when DOCKER_HOST is unset and a context other than
 * "default" is current. A context that names no Docker endpoint, or whose files are missing, is an error: the docker
 * CLI refuses it too.
 */
export function withDockerContext(env: Env): Env {
  if (env.DOCKER_HOST) return env;
  const name = currentContext(env);
  if (!name) return env;
  const id = createHash('sha256').update(name).digest('hex');
  const dir = configDir(env);
  const meta = readJson(join(dir, 'contexts', 'meta', id, 'meta.json')) as { Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } } } | null;
  const host = meta?.Endpoints?.docker?.Host;
  if (!host) throw new Error(`docker context "${name}" has no Docker endpoint (looked in ${join(dir, 'contexts', 'meta', id)})`);
  const tls = join(dir, 'contexts', 'tls', id, 'docker');
  const out: Env = { ...env, DOCKER_HOST: host };
  if (existsSync(join(tls, 'ca.pem')) || existsSync(join(tls, 'cert.pem'))) {
    out.DOCKER_CERT_PATH = tls;
    if (!meta?.Endpoints?.docker?.SkipTLSVerify) out.DOCKER_TLS_VERIFY = '1';
  }
  return out;
}
