// Secret values never reach the terminal: every loader message path that can hold a value, through the built CLI
// (validate, plan, plan --json, config), on stdout and stderr. Host-process services only: nothing is started and
// no engine is needed; the messages must still say which key and where.
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Stack, type Result } from './cli.js';

// Distinctive halves: neither may appear anywhere, even apart (a `$` splits the second into a "variable name").
const A = 'Zq9xW7vK';
const B = 'Hy3mPt';
const SECRET = `${A}$${B}`;

function assertHidden(r: Result, what: string): void {
  for (const part of [A, B]) {
    expect(r.stdout, `${what}: stdout`).not.toContain(part);
    expect(r.stderr, `${what}: stderr`).not.toContain(part);
  }
}

const SERVICE = '[services.app]\ncommand = ["sleep", "1"]\n';

interface Case {
  name: string;
  boltfile: string;
  files?: Record<string, string>;
  args?: string[];
  /** what the message must still say (key and where) */
  says: RegExp;
  /** the file is valid: only warnings, so plan and config succeed */
  valid?: boolean;
}

const CASES: Case[] = [
  {
    name: 'an environment entry whose name has a space',
    boltfile: `${SERVICE}environment = ["MY PASSWORD=${A}", "API_TOKEN=ok"]\n`,
    says: /Boltfile\.toml:\d+:\d+: services\.app\.environment\[0\]: invalid environment entry: the name "MY PASSWORD" is empty or holds white space/,
  },
  {
    name: 'an environment entry without "=" (a pasted value)',
    boltfile: `${SERVICE}environment = ["${A} ${B}"]\n`,
    says: /services\.app\.environment\[0\]: invalid environment entry: it has no "=" and is empty or holds white space/,
  },
  {
    name: 'a build arg entry with a bad name',
    boltfile: `[services.app]\nimage = "x"\ndriver = "process"\ncommand = ["sleep", "1"]\nbuild = { context = ".", args = ["SECRET KEY=${A}"] }\n`,
    says: /services\.app\.build\.args\[0\]: invalid build arg entry/,
  },
  {
    name: 'a bad interpolation in a sensitive value (table form)',
    boltfile: `${SERVICE}environment = { API_TOKEN = "${A}\${${B}" }\n`,
    says: /Boltfile\.toml:4:\d+: services\.app\.environment\.API_TOKEN: invalid interpolation format at character 9 \(the value is sensitive and not shown\)/,
  },
  {
    name: 'a bad interpolation in a sensitive value (list form)',
    boltfile: `${SERVICE}environment = ["API_TOKEN=${A}\${9${B}}"]\n`,
    says: /services\.app\.environment\[0\]: invalid interpolation format at character \d+ \(the value is sensitive and not shown\)/,
  },
  {
    name: 'a required variable inside a sensitive value',
    boltfile: `${SERVICE}environment = { DB_PASSWORD = "\${UNSET_VAR:?${A}}" }\n`,
    says: /services\.app\.environment\.DB_PASSWORD: required variable UNSET_VAR is missing a value/,
  },
  {
    name: 'an unset $ inside a sensitive value (a warning: the file is valid)',
    boltfile: `${SERVICE}environment = { DB_PASSWORD = "${SECRET}", MODE = "$UNSET_MODE" }\n`,
    says: /warning: services\.app\.environment\.DB_PASSWORD: a `\$` in this sensitive value starts a variable that is not set/,
    valid: true,
  },
  {
    name: 'an environment mapping written as one string',
    boltfile: `${SERVICE}environment = "API_TOKEN=${A}"\n`,
    says: /services\.app\.environment: expected table or array, got a string$/m,
  },
  {
    name: 'a malformed .env line (a pasted value)',
    boltfile: `${SERVICE}environment = { MODE = "\${MODE:-x}" }\n`,
    files: { '.env': `MODE=dev\n${A}+${B}/x==\n` },
    says: /^\.env:2:\d+: unexpected character in a variable name \(the line is not shown: it may hold a value\)/m,
  },
  {
    name: 'a bad interpolation in a sensitive .env value',
    boltfile: SERVICE,
    files: { '.env': `API_TOKEN="${A}\${${B}"\n` },
    says: /^\.env:1:\d+: API_TOKEN: invalid interpolation format at character 9 \(the value is sensitive and not shown\)/m,
  },
  {
    name: 'a malformed --env-file line',
    boltfile: SERVICE,
    files: { 'prod.env': `${A} ${B}\n` },
    args: ['--env-file', 'prod.env'],
    says: /^prod\.env:1:1: a variable name cannot contain a space/m,
  },
  {
    name: "a malformed line in a service's env_file",
    boltfile: `${SERVICE}env_file = "app.env"\n`,
    files: { 'app.env': `OK=1\nSECRET_KEY=${A}\${\n` },
    says: /services\.app\.env_file: .*app\.env:2:\d+: SECRET_KEY: invalid interpolation format at character \d+ \(the value is sensitive/,
  },
];

describe('secret values never appear in CLI output', () => {
  it.each(CASES)('$name', async (c) => {
    const stack = new Stack('sec');
    stack.write(c.boltfile);
    for (const [name, text] of Object.entries(c.files ?? {})) stack.file(name, text);
    const args = c.args ?? [];
    const validate = await stack.surge(...args, 'validate');
    expect(validate.code, validate.stderr).toBe(c.valid ? 0 : 1);
    expect(validate.stderr).toMatch(c.says);
    assertHidden(validate, 'validate');
    for (const command of [['plan'], ['plan', '--json']]) {
      const r = await stack.surge(...args, ...command);
      expect(r.code, r.stderr).toBe(c.valid ? 0 : 1);
      assertHidden(r, command.join(' '));
    }
    const config = await stack.surge(...args, 'config');
    expect(config.code).toBe(c.valid ? 0 : 1);
    // A valid file's `config` prints the resolved model, values included (as `docker compose config` does): only
    // its messages are checked then.
    if (c.valid) expect(config.stderr).not.toMatch(new RegExp(`${A}|${B}`));
    else assertHidden(config, 'config');
  });
});

describe('files surge writes that hold config', () => {
  it('plan -o over an existing 0644 file leaves it 0600, with the new plan', async () => {
    const stack = new Stack('sec');
    stack.write(`${SERVICE}environment = { API_TOKEN = "${A}" }\n`);
    const file = join(stack.dir, 'plan.json');
    writeFileSync(file, 'old\n', { mode: 0o644 });
    chmodSync(file, 0o644);
    const r = await stack.surge('plan', '-o', 'plan.json');
    expect(r.code, r.stderr).toBe(0);
    assertHidden(r, 'plan -o');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8')).format).toBe('surge-plan/1');
  });
});
