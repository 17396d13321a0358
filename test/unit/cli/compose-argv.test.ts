import { describe, expect, it } from 'vitest';
import { commandIndex, rewriteLogsFollow, splitServiceCommand } from '../../../src/cli/compose-argv.js';

describe('logs -f', () => {
  it('means --follow after `logs`, as in docker compose', () => {
    expect(rewriteLogsFollow(['logs', '-f'])).toEqual(['logs', '--follow']);
    expect(rewriteLogsFollow(['logs', '-f', 'web', '--tail', '5'])).toEqual(['logs', '--follow', 'web', '--tail', '5']);
    expect(rewriteLogsFollow(['logs', '-ft'])).toEqual(['logs', '--follow', '-t']);
    expect(rewriteLogsFollow(['logs', '-tf', 'web'])).toEqual(['logs', '--follow', '-t', 'web']);
  });

  it('keeps -f as --file before the command and for every other command', () => {
    expect(rewriteLogsFollow(['-f', 'a.toml', 'logs', '-f'])).toEqual(['-f', 'a.toml', 'logs', '--follow']);
    expect(rewriteLogsFollow(['-f', 'logs', 'logs'])).toEqual(['-f', 'logs', 'logs']);
    expect(rewriteLogsFollow(['-p', 'x', '--env-file', 'e', 'ps', '-f', 'b.toml'])).toEqual(['-p', 'x', '--env-file', 'e', 'ps', '-f', 'b.toml']);
    expect(rewriteLogsFollow(['up', '-f', 'a.toml'])).toEqual(['up', '-f', 'a.toml']);
    expect(rewriteLogsFollow(['exec', 'web', '--', 'logs', '-f'])).toEqual(['exec', 'web', '--', 'logs', '-f']);
    expect(rewriteLogsFollow(['logs', 'web', '--', '-f'])).toEqual(['logs', 'web', '--', '-f']);
  });

  it('finds the command word past global options and their values', () => {
    expect(commandIndex(['-f', 'x', '-p', 'y', 'logs'])).toBe(4);
    expect(commandIndex(['--version'])).toBe(-1);
  });
});

describe('exec and run take the rest of the line as the command, as compose does', () => {
  it('puts a -- after the service when there is none', () => {
    expect(splitServiceCommand(['exec', 'web', 'ls', '-la'])).toEqual(['exec', 'web', '--', 'ls', '-la']);
    expect(splitServiceCommand(['-f', 'x.toml', 'exec', '-u', 'root', '--index', '2', '-T', 'web', 'sh', '-c', 'id'])).toEqual([
      '-f', 'x.toml', 'exec', '-u', 'root', '--index', '2', '-T', 'web', '--', 'sh', '-c', 'id',
    ]);
    expect(splitServiceCommand(['run', '--rm', '-e', 'A=1', 'job', 'echo', 'hi'])).toEqual(['run', '--rm', '-e', 'A=1', 'job', '--', 'echo', 'hi']);
  });

  it('leaves a line alone that already has --, no command, or another command', () => {
    expect(splitServiceCommand(['exec', 'web', '--', 'ls'])).toEqual(['exec', 'web', '--', 'ls']);
    expect(splitServiceCommand(['run', 'web'])).toEqual(['run', 'web']);
    expect(splitServiceCommand(['logs', 'web', 'db'])).toEqual(['logs', 'web', 'db']);
  });
});
