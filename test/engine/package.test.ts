// The published package, as a user gets it: `npm pack`, installed into a fresh project, whose TypeScript program
// imports the library by name, type-checks against the shipped declarations (skipLibCheck off) and runs; the `surge`
// bin is there too. No engine: the program uses the in-memory driver.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'surge-package-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const npm = (args: string[], cwd: string): string => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const CONSUMER = `import { apply, connect, loadProject, MemoryDriver, plan, SurgeError, type Plan, type SurgeEvent } from 'surge-stack';
const loaded = loadProject({ document: { project: 'c', services: { web: { image: 'nginx:1.27' } } }, cwd: process.cwd(), env: {} });
const docker = new MemoryDriver();
docker.state.images['nginx:1.27'] = 'sha256:x';
const stack = await connect(loaded, { drivers: { docker, process: new MemoryDriver('process') } });
const p: Plan = await plan(stack);
const events: SurgeEvent['type'][] = [];
const result = await apply(stack, p, { onEvent: (e) => events.push(e.type) });
let code = '';
try {
  await plan(stack, { services: ['nope'] });
} catch (e) {
  if (e instanceof SurgeError) code = e.code;
}
console.log(JSON.stringify({ actions: p.actions.map((a) => a.id), ok: result.ok, events, code }));
`;

describe('the npm package', () => {
  it('installs into a fresh project: the entry point, its types and the surge bin resolve', () => {
    // --ignore-scripts: dist/ is already built by the test command; `prepare` would rebuild it under other tests.
    npm(['pack', '--ignore-scripts', '--pack-destination', work], root);
    const tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz')) as string);
    const app = join(work, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    npm(['install', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', tarball], app);
    writeFileSync(join(app, 'main.ts'), CONSUMER);
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: false, outDir: 'out', types: ['node'], typeRoots: [join(root, 'node_modules/@types')] },
        include: ['main.ts'],
      }),
    );
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', app], { stdio: 'pipe' });
    const out = execFileSync(process.execPath, [join(app, 'out/main.js')], { cwd: app, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({
      actions: ['network:default', 'service:web#1'],
      ok: true,
      events: ['start', 'action-start', 'action-done', 'action-start', 'action-done', 'finish'],
      code: 'no-such-service',
    });
    const version = execFileSync(join(app, 'node_modules/.bin/surge'), ['--version'], { encoding: 'utf8' }).trim();
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
  }, 170_000);
});
