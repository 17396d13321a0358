// Compose users' stacks run with `surge up` unchanged and give the same containers as `docker-compose up`: for each
// shape, both tools run the same folder one after the other on the same engine, and `docker inspect` of every
// container, network, volume and built image is compared field by field (compose-parity.ts says what is normalized
// and why; README: "Where surge differs from docker compose"). What docker-compose 1.29 cannot read is given to it
// written out, and checked as compose v2 does it. `surge down` leaves what `docker-compose down` leaves.
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { compareSnapshots, execIn, takeMount, type Tool } from './compose-parity.js';
import { cleanupParity, runParity } from './compose-parity-run.js';
import { freePort, run } from './cli.js';

afterAll(cleanupParity);

const NOTHING = { containers: [], networks: [], volumes: [], images: [] };
// A free port the kernel picks: a guessed one may be held by another run or an outgoing connection.
const port = async (): Promise<string> => String(await freePort());

describe('compose parity', () => {
  it('a web app with a database, a cache, a one-shot migration and a built worker', { timeout: 900_000 }, async () => {
    const webPort = await port();
    const seen: Record<Tool, Record<string, string>> = { compose: {}, surge: {} };
    const r = await runParity({
      fixture: 'runnable-webapp',
      env: { WEB_PORT: webPort },
      whileUp: async (tool, project) => {
        seen[tool] = {
          page: await (await fetch(`http://127.0.0.1:${webPort}/`)).text(),
          cache: await execIn(tool, project, 'web', ['sh', '-c', 'nc -w 2 cache 6379 </dev/null']),
          db: await execIn(tool, project, 'web', ['sh', '-c', 'nc -w 2 database 5432 </dev/null']),
          migrated: await execIn(tool, project, 'db', ['cat', '/var/lib/db/schema']),
          worker: await execIn(tool, project, 'worker', ['sh', '-c', 'echo $QUEUE; pwd']),
        };
      },
    });
    expect(Object.keys(r.compose.containers).sort()).toEqual(['cache#1', 'db#1', 'migrate#1', 'web#1', 'worker#1']);
    expect(Object.keys(r.compose.networks).sort()).toEqual(['back', 'front']);
    expect(Object.keys(r.compose.volumes).sort()).toEqual(['cache-data', 'db-data']);
    expect(Object.keys(r.compose.images)).toEqual(['worker']);
    expect(compareSnapshots(r.compose, r.surge)).toEqual([]);
    const works = { page: '<!doctype html>\n<h1>shop</h1>\n', cache: '+PONG\n', db: 'ok\n', migrated: 'schema 1 for shop\n', worker: 'jobs\n/srv\n' };
    expect(seen).toEqual({ compose: works, surge: works });
    expect(r.ps.map((p) => [p.service, p.state, p.health])).toEqual([
      ['cache', 'running', null],
      ['db', 'running', 'healthy'],
      ['migrate', 'exited', null],
      ['web', 'running', 'healthy'],
      ['worker', 'running', null],
    ]);
    // `down` keeps named volumes in both; `down -v --rmi local` leaves nothing, the built image included.
    expect(r.afterDown.surge).toEqual({ containers: [], networks: [], volumes: ['<project>_cache-data', '<project>_db-data'] });
    expect(r.afterDown.compose).toEqual(r.afterDown.surge);
    expect(r.afterFullDown).toEqual({ compose: NOTHING, surge: NOTHING });
  });

  it('profiles (COMPOSE_PROFILES), secrets and configs from files and the environment', { timeout: 900_000 }, async () => {
    const seen: Record<Tool, Record<string, string>> = { compose: {}, surge: {} };
    const r = await runParity({
      fixture: 'runnable-secrets',
      compose129: true,
      env: { COMPOSE_PROFILES: 'debug', VAULT_API_KEY: 'k-123', VAULT_MOTD: 'welcome to the vault\n' },
      whileUp: async (tool, project) => {
        const sh = (script: string) => execIn(tool, project, 'api', ['sh', '-c', script]);
        seen[tool] = {
          fileSecret: await sh('cat /run/secrets/db_password'),
          adminSecret: await execIn(tool, project, 'admin', ['cat', '/etc/admin/db_password']),
          envSecret: await sh('stat -c "%a %u:%g" /run/secrets/api.key && cat /run/secrets/api.key'),
          fileConfig: await sh('cat /etc/app/config.ini'),
          envConfig: await sh('stat -c "%a %u:%g" /motd && cat /motd'),
          // debug shares api's network namespace: api's server answers on its localhost.
          sharedNetwork: await execIn(tool, project, 'debug', ['sh', '-c', "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 127.0.0.1 8000 | tail -n 1"]),
        };
      },
    });
    // docker-compose 1.29 refuses the file as it is: a top-level name, and secrets and configs from the environment
    // came after it in the compose specification. It runs the same file without them (writeCompose129).
    expect(r.compose129?.refusal.code).toBe(1);
    expect(r.compose129?.refusal.stderr).toContain("secrets.api_key value 'environment' does not match any of the regexes");
    expect(r.compose129?.removed).toEqual(['name', 'secrets.api_key', 'services.api.secrets[1]', 'configs.motd', 'services.api.configs[1]']);
    // The jobs profile is not active: worker is left out by both; admin is in debug and admin.
    expect(Object.keys(r.surge.containers).sort()).toEqual(['admin#1', 'api#1', 'debug#1']);
    // compose 1.29 ignores `configs` ("Compose does not support 'configs' configuration", a warning); compose v2
    // bind-mounts a file config read-only at its target (pkg/compose/create.go, buildContainerConfigMounts), as surge does.
    expect(r.composeUp.stderr).toContain("Compose does not support 'configs' configuration");
    const config = takeMount(r.surge, 'api#1', '/etc/app/config.ini');
    expect(config.request).toEqual([{ Type: 'bind', Source: join(r.dir, 'config/app.ini'), Target: '/etc/app/config.ini', ReadOnly: true }]);
    expect(config.mount).toEqual([expect.objectContaining({ Type: 'bind', RW: false })]);
    expect(compareSnapshots(r.compose, r.surge)).toEqual([]);
    // What the files hold, in both; what 1.29 cannot do, as compose v2 does it: a secret and a config from the
    // environment copied in, 0444 unless a mode is given, owned by root.
    const same = { fileSecret: 'not-a-real-password\n', adminSecret: 'not-a-real-password\n', sharedNetwork: '<h1>vault</h1>\n' };
    expect(seen.compose).toMatchObject({ ...same, fileConfig: 'exit 1: cat: can\'t open \'/etc/app/config.ini\': No such file or directory' });
    expect(seen.surge).toEqual({ ...same, fileConfig: '[server]\nport = 8000\n', envSecret: '400 0:0\nk-123', envConfig: '444 0:0\nwelcome to the vault\n' });
    expect(r.ps.map((p) => [p.service, p.state, p.health])).toEqual([['admin', 'running', null], ['api', 'running', 'healthy'], ['debug', 'running', null]]);
    expect(r.afterDown.surge).toEqual(r.afterDown.compose);
    expect(r.afterFullDown).toEqual({ compose: NOTHING, surge: NOTHING });
  });

  it('extends from another file and from the same file, anchors and merge keys, and compose.override.yaml', { timeout: 900_000 }, async () => {
    const apiPort = await port();
    const seen: Record<Tool, Record<string, string>> = { compose: {}, surge: {} };
    const r = await runParity({
      fixture: 'runnable-extends',
      env: { API_PORT: apiPort },
      whileUp: async (tool, project) => {
        seen[tool] = {
          api: await (await fetch(`http://127.0.0.1:${apiPort}/`)).text(),
          admin: await execIn(tool, project, 'admin', ['sh', '-c', 'echo $SERVICE $REGION $LOG_LEVEL ${DEBUG:-nodebug}']),
        };
      },
    });
    expect(Object.keys(r.compose.containers).sort()).toEqual(['admin#1', 'api#1', 'docs#1']);
    expect(compareSnapshots(r.compose, r.surge)).toEqual([]);
    // What the merge gave, as both read it: the base's env_file and bind mount from common/, the override's DEBUG
    // on api only (admin extends api as compose.yaml declares it, before the override is merged, in both).
    const api = r.surge.containers['api#1'] as { Config: { Env: string[] }; HostConfig: { Binds: string[] } };
    expect(api.Config.Env).toEqual(expect.arrayContaining(['REGION=eu-west', 'LOG_LEVEL=info', 'SERVICE=api', 'DEBUG=1']));
    expect(api.HostConfig.Binds).toEqual([`${join(r.dir, 'common/conf')}:/etc/app:ro`]);
    const works = { api: '<!doctype html>\n<h1>platform</h1>\n', admin: 'admin eu-west info nodebug\n' };
    expect(seen).toEqual({ compose: works, surge: works });
    expect(r.ps.map((p) => [p.service, p.state, p.health])).toEqual([['admin', 'running', 'healthy'], ['api', 'running', 'healthy'], ['docs', 'running', null]]);
    expect(r.afterDown.surge).toEqual({ containers: [], networks: [], volumes: [] });
    expect(r.afterDown.compose).toEqual(r.afterDown.surge);
    expect(r.afterFullDown).toEqual({ compose: NOTHING, surge: NOTHING });
  });

  it('include: a database from its own folder, with its own env file', { timeout: 900_000 }, async () => {
    // docker-compose 1.29 has no `include`: it runs the same stack written out as compose v2 reads the include
    // (expanded-for-compose-1.29.yaml), which surge itself loads to the same model as compose.yaml.
    const appPort = await port();
    const seen: Record<Tool, Record<string, string>> = { compose: {}, surge: {} };
    const r = await runParity({
      fixture: 'runnable-include',
      env: { APP_PORT: appPort },
      composeFiles: ['expanded-for-compose-1.29.yaml'],
      whileUp: async (tool, project) => {
        seen[tool] = {
          page: await (await fetch(`http://127.0.0.1:${appPort}/`)).text(),
          db: await execIn(tool, project, 'app', ['sh', '-c', 'nc -w 2 db 5432 </dev/null']),
        };
      },
    });
    const config = (file: string) => run(['-f', file, 'config'], r.dir, { APP_PORT: appPort });
    expect((await config('compose.yaml')).stdout).toBe((await config('expanded-for-compose-1.29.yaml')).stdout);
    expect(Object.keys(r.compose.containers).sort()).toEqual(['app#1', 'db#1']);
    expect(Object.keys(r.compose.networks).sort()).toEqual(['data', 'default']);
    expect(compareSnapshots(r.compose, r.surge)).toEqual([]);
    const db = r.surge.containers['db#1'] as { Config: { Cmd: string[]; Env: string[] }; HostConfig: { Binds: string[] } };
    expect(db.Config.Cmd).toEqual(['nc', '-ll', '-p', '5432', '-e', 'cat', '/init/schema.sql']);
    expect(db.HostConfig.Binds).toEqual([`${join(r.dir, 'db/init')}:/init:ro`, '<project>_db-data:/var/lib/db:rw']);
    const works = { page: '<!doctype html>\n<h1>platform app</h1>\n', db: '-- schema 1\ncreate table items (id int);\n' };
    expect(seen).toEqual({ compose: works, surge: works });
    expect(r.ps.map((p) => [p.service, p.state, p.health])).toEqual([['app', 'running', null], ['db', 'running', 'healthy']]);
    expect(r.afterDown.surge).toEqual({ containers: [], networks: [], volumes: ['<project>_db-data'] });
    expect(r.afterDown.compose).toEqual(r.afterDown.surge);
    expect(r.afterFullDown).toEqual({ compose: NOTHING, surge: NOTHING });
  });
});

