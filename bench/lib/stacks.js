// Stack generation: the same services written as a Boltfile.toml (surge) and a docker-compose.yml (compose).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const IMAGE = 'surge-test/busybox:1';
/** PID 1 is sh: the trap makes a graceful stop immediate, so stop timings compare engines, not timeouts. */
export const COMMAND = ['sh', '-c', "trap 'exit 0' TERM; while true; do sleep 3600 & wait $!; done"];

/** @typedef {{ name: string, dependsOn?: string, env?: Record<string, string> }} ServiceSpec */

/** `chains` chains of `length` services, each depending (service_started) on the previous one in its chain. */
export function chains(/** @type {number} */ count, length = 3) {
  /** @type {ServiceSpec[]} */
  const out = [];
  for (let c = 1; c <= count; c++) {
    for (let i = 1; i <= length; i++) out.push({ name: `chain${c}-${i}`, dependsOn: i > 1 ? `chain${c}-${i - 1}` : undefined });
  }
  return out;
}

/** `n` independent services. */
export function wide(/** @type {number} */ n) {
  return Array.from({ length: n }, (_, i) => /** @type {ServiceSpec} */ ({ name: `svc${i + 1}` }));
}

/** `$` → `$$`: both surge and compose interpolate `$VAR`. @param {string} s */
const escapeDollar = (s) => s.replaceAll('$', '$$$$');
/** A TOML/YAML double-quoted string (JSON's escaping is valid in both). @param {string} s */
const q = (s) => JSON.stringify(s);

/** @param {string} project @param {ServiceSpec[]} services */
export function boltfile(project, services) {
  const cmd = `[${COMMAND.map((a) => q(escapeDollar(a))).join(', ')}]`;
  const parts = [`project = ${q(project)}\n`];
  for (const s of services) {
    parts.push(`\n[services.${q(s.name)}]\nimage = ${q(IMAGE)}\ncommand = ${cmd}\n`);
    if (s.dependsOn) parts.push(`depends_on = { ${q(s.dependsOn)} = { condition = "service_started" } }\n`);
    if (s.env) parts.push(`environment = { ${Object.entries(s.env).map(([k, v]) => `${k} = ${q(v)}`).join(', ')} }\n`);
  }
  return parts.join('');
}

/** Compose file format 2.4 (docker-compose 1.29), default network. @param {ServiceSpec[]} services */
export function composeFile(services) {
  const cmd = `[${COMMAND.map((a) => q(escapeDollar(a))).join(', ')}]`;
  const lines = ['version: "2.4"', 'services:'];
  for (const s of services) {
    lines.push(`  ${q(s.name)}:`, `    image: ${q(IMAGE)}`, `    command: ${cmd}`);
    if (s.dependsOn) lines.push('    depends_on:', `      ${q(s.dependsOn)}:`, '        condition: service_started');
    if (s.env) lines.push('    environment:', ...Object.entries(s.env).map(([k, v]) => `      ${k}: ${q(v)}`));
  }
  return `${lines.join('\n')}\n`;
}

/** A fresh temp folder holding both files. @param {string} project @param {ServiceSpec[]} services */
export function writeStack(project, services) {
  const dir = mkdtempSync(join(tmpdir(), `${project}-`));
  writeFileSync(join(dir, 'Boltfile.toml'), boltfile(project, services));
  writeFileSync(join(dir, 'docker-compose.yml'), composeFile(services));
  return dir;
}
