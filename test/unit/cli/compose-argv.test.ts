import { describe, expect, it } from 'vitest';
import { commandIndex, rewriteShortF, splitServiceCommand } from '../../../src/cli/compose-argv.js';

describe('logs -f', () => {
  it('means --follow after `logs`, as in docker compose', () => {
    expect(rewriteShortF(['logs', '-f'])).toEqual(['logs', '--follow']);
    expect(rewriteShortF(['logs', '-f', 'web', '--tail', '5'])).toEqual(['logs', '--follow', 'web', '--tail', '5']);
    expect(rewriteShortF(['logs', '-ft'])).toEqual(['logs', '--follow', '-t']);
    expect(rewriteShortF(['logs', '-tf', 'web'])).toEqual(['logs', '--follow', '-t', 'web']);
  });

  it('means --force after `rm`, clusters included (`rm -fsv`)', () => {
    expect(rewriteShortF(['rm', '-f'])).toEqual(['rm', '--force']);
    expect(rewriteShortF(['-f', 'a.toml', 'rm', '-fsv', 'web'])).toEqual(['-f', 'a.toml', 'rm', '--force', '-sv', 'web']);
  });

  it('keeps -f as --file before the command and for every other command', () => {
    expect(rewriteShortF(['-f', 'a.toml', 'logs', '-f'])).toEqual(['-f', 'a.toml', 'logs', '--follow']);
    expect(rewriteShortF(['-f', 'logs', 'logs'])).toEqual(['-f', 'logs', 'logs']);
    expect(rewriteShortF(['-p', 'x', '--env-file', 'e', 'ps', '-f', 'b.toml'])).toEqual(['-p', 'x', '--env-file', 'e', 'ps', '-f', 'b.toml']);
    expect(rewriteShortF(['up', '-f', 'a.toml'])).toEqual(['up', '-f', 'a.toml']);
    expect(rewriteShortF(['exec', 'web', '--', 'logs', '-f'])).toEqual(['exec', 'web', '--', 'logs', '-f']);
    expect(rewriteShortF(['logs', 'web', '--', '-f'])).toEqual(['logs', 'web', '--', '-f']);
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
