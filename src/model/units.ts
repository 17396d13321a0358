// Durations, byte sizes and CPU counts as users write them.

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "1s", "500ms", "1m30s", "1.5s" or a number of seconds → milliseconds. */
export function parseDuration(input: string | number): Parsed<number> {
  if (typeof input === 'number') {
    return input >= 0 ? { ok: true, value: Math.round(input * 1000) } : { ok: false, message: `invalid duration ${input}: must not be negative` };
  }
  const text = input.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return { ok: true, value: Math.round(Number(text) * 1000) };
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * (DURATION_UNITS[m[2] as string] ?? 0);
    consumed = re.lastIndex;
  }
  if (consumed === 0 || consumed !== text.length) {
    return { ok: false, message: `invalid duration "${input}" (write it like "30s", "500ms", "1m30s", or a number of seconds)` };
  }
  return { ok: true, value: Math.round(total) };
}

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/**
 * "512m", "4Gi", "8GB", "8G" or a number of bytes. Units are binary (1024), as the Docker CLI reads them,
 * so "8GB" and "8Gi" mean the same thing.
 */
export function parseByteSize(input: string | number): Parsed<number> {
  if (typeof input === 'number') {
    return Number.isInteger(input) && input >= 0 ? { ok: true, value: input } : { ok: false, message: `invalid size ${input}: use whole bytes or a unit like "512m"` };
  }
  // Trimmed first: two `\s*` around optional groups backtrack quadratically on "1   …   x".
  const m = /^(\d+(?:\.\d+)?)\s*([kmgtp]?)(i?b?)$/i.exec(input.trim());
  if (!m) return { ok: false, message: `invalid size "${input}" (write it like "512m", "4Gi" or "8GB")` };
  const unit = SIZE_UNITS[(m[2] ?? '').toLowerCase()] ?? 1;
  return { ok: true, value: Math.round(Number(m[1]) * unit) };
}

/** 2, "1.5" → CPUs. */
export function parseCpus(input: string | number): Parsed<number> {
  const n = typeof input === 'number' ? input : Number(input.trim());
  if (!Number.isFinite(n) || n <= 0) return { ok: false, message: `invalid CPU limit "${input}" (a positive number of CPUs, e.g. 1.5)` };
  return { ok: true, value: n };
}
