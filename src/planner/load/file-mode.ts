// File modes as compose reads them: a number (TOML 0o440, or YAML's 0440 read as octal) or an octal string ("0440").
import type { Parsed } from '../../model/units.js';

export function parseFileMode(raw: number | string): Parsed<number> {
  if (typeof raw === 'number') {
    return Number.isInteger(raw) && raw >= 0 && raw <= 0o7777 ? { ok: true, value: raw } : { ok: false, message: `invalid file mode ${raw} (write it like 0o440 or "0440")` };
  }
  const text = raw.trim().replace(/^0o/i, '');
  if (!/^[0-7]{1,4}$/.test(text)) return { ok: false, message: `invalid file mode "${raw}" (an octal number like "0440")` };
  return { ok: true, value: parseInt(text, 8) };
}
