// Numeric options are checked before a command runs. yargs turns `--parallel abc` into NaN, which left the executor
// waiting on nothing (exit 0 with nothing done), crashed a timer (--wait-timeout) or was silently ignored (-t, --tail).
import { UserError } from '../model/errors.js';

interface Rule {
  flag: string;
  min: number;
  integer: boolean;
  /** what the number means, when the flag's name does not say it */
  what?: string;
}

const RULES: Record<string, Rule> = {
  parallel: { flag: '--parallel', min: 1, integer: true },
  'wait-timeout': { flag: '--wait-timeout', min: 0, integer: false },
  'lock-timeout': { flag: '--lock-timeout', min: 0, integer: false },
  timeout: { flag: '-t/--timeout', min: 0, integer: true },
  tail: { flag: '--tail', min: 0, integer: true },
  index: { flag: '--index', min: 1, integer: true },
  private_port: { flag: 'PRIVATE_PORT', min: 1, integer: true, what: 'a port number' },
  // `abc` (NaN) or a negative number would silently mean "no debounce".
  debounce: { flag: '--debounce', min: 0, integer: false, what: 'a quiet period in milliseconds' },
};

export function checkNumericOptions(args: Record<string, unknown>): void {
  for (const [key, rule] of Object.entries(RULES)) {
    const value = args[key];
    if (value === undefined) continue;
    const ok = typeof value === 'number' && Number.isFinite(value) && value >= rule.min && (!rule.integer || Number.isInteger(value));
    const kind = rule.integer ? 'a whole number' : 'a number';
    if (!ok) throw new UserError(`${rule.flag} takes ${rule.what ? `${rule.what} (${kind} ≥ ${rule.min})` : `${kind} ≥ ${rule.min}`}`);
  }
}
