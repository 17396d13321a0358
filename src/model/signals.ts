// Signal names as users write them (`kill -s`): one parser, so the library can refuse a bad one once, before it
// signals anything, and the process driver signals exactly what it names.
import { constants } from 'node:os';
import { UserError } from './errors.js';

/** "SIGKILL", "KILL", "kill", "9" → "SIGKILL"; a user error for anything else. */
export function signalName(text: string): NodeJS.Signals {
  const t = text.trim().toUpperCase();
  if (/^\d+$/.test(t)) {
    const found = Object.entries(constants.signals).find(([, n]) => n === Number(t));
    if (found) return found[0] as NodeJS.Signals;
  } else {
    const name = t.startsWith('SIG') ? t : `SIG${t}`;
    if (name in constants.signals) return name as NodeJS.Signals;
  }
  throw new UserError(`invalid signal "${text}": use a name such as SIGKILL, TERM or HUP, or a number`);
}
