import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/model/errors.js';
import { signalName } from '../../../src/model/signals.js';

describe('signalName', () => {
  it('reads names with or without SIG, in any case, and numbers', () => {
    expect(['SIGKILL', 'KILL', 'kill', ' sigterm ', '9', '15', 'hup'].map(signalName)).toEqual(['SIGKILL', 'SIGKILL', 'SIGKILL', 'SIGTERM', 'SIGKILL', 'SIGTERM', 'SIGHUP']);
  });

  it('refuses anything else with one user error', () => {
    for (const bad of ['NOPE', 'SIG', '', '0', '999', '-9', 'KILL9']) {
      expect(() => signalName(bad)).toThrow(UserError);
    }
    expect(() => signalName('NOPE')).toThrow('invalid signal "NOPE": use a name such as SIGKILL, TERM or HUP, or a number');
  });
});
