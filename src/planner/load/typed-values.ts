// Strings where compose expects a number or a boolean, cast as compose-go casts them after interpolation
// (loader/interpolate.go): `privileged: ${PRIV}` or `replicas: "3"`. In a compose file every string at these
// paths is cast (`privileged: "yes"` is true, with compose's warning that YAML 1.2 has no such boolean); in a
// Boltfile only a string that held a variable is, so `privileged = "yes"` stays the error TOML users expect.
import type { Path } from './schema-walk.js';

type Cast = (text: string) => { ok: true; value: number | boolean; warning?: string } | { ok: false; message: string };

const int: Cast = (t) => (/^[-+]?\d+$/.test(t) ? { ok: true, value: Number(t) } : { ok: false, message: `invalid integer "${t}"` });
const float: Cast = (t) => {
  const v = Number(t);
  return t.trim() !== '' && Number.isFinite(v) ? { ok: true, value: v } : { ok: false, message: `invalid number "${t}"` };
};
const bool: Cast = (t) => {
  const lower = t.toLowerCase();
  if (lower === 'true') return { ok: true, value: true };
  if (lower === 'false') return { ok: true, value: false };
  if (['y', 'yes', 'on'].includes(lower)) return { ok: true, value: true, warning: `"${t}" for boolean is not supported by YAML 1.2, please use \`true\`` };
  if (['n', 'no', 'off'].includes(lower)) return { ok: true, value: false, warning: `"${t}" for boolean is not supported by YAML 1.2, please use \`false\`` };
  return { ok: false, message: `invalid boolean "${t}"` };
};

/** `*` any key, `[]` any list index. */
const CASTS: [string[], Cast][] = [
  ...(
    [
      [['cpu_count'], int], [['cpu_percent'], float], [['cpu_period'], int], [['cpu_quota'], int], [['cpu_rt_period'], int],
      [['cpu_rt_runtime'], int], [['cpus'], float], [['cpu_shares'], int], [['init'], bool],
      [['depends_on', '*', 'required'], bool], [['depends_on', '*', 'restart'], bool],
      [['deploy', 'replicas'], int], [['deploy', 'update_config', 'parallelism'], int],
      [['deploy', 'update_config', 'max_failure_ratio'], float], [['deploy', 'rollback_config', 'parallelism'], int],
      [['deploy', 'rollback_config', 'max_failure_ratio'], float], [['deploy', 'restart_policy', 'max_attempts'], int],
      [['deploy', 'placement', 'max_replicas_per_node'], int], [['healthcheck', 'retries'], int], [['healthcheck', 'disable'], bool],
      [['oom_kill_disable'], bool], [['oom_score_adj'], int], [['pids_limit'], int], [['ports', '[]', 'target'], int],
      [['privileged'], bool], [['read_only'], bool], [['scale'], int], [['stdin_open'], bool], [['tty'], bool],
      [['ulimits', '*'], int], [['ulimits', '*', 'hard'], int], [['ulimits', '*', 'soft'], int],
      [['volumes', '[]', 'read_only'], bool], [['volumes', '[]', 'volume', 'nocopy'], bool],
      // Boltfile keys of the same kind
      [['replicas'], int], [['cpu_limit'], float], [['gpu_enabled'], bool], [['health', 'retries'], int], [['health', 'disable'], bool],
    ] as [string[], Cast][]
  ).map(([p, c]): [string[], Cast] => [['services', '*', ...p], c]),
  [['networks', '*', 'external'], bool],
  [['networks', '*', 'internal'], bool],
  [['networks', '*', 'attachable'], bool],
  [['networks', '*', 'enable_ipv4'], bool],
  [['networks', '*', 'enable_ipv6'], bool],
  [['volumes', '*', 'external'], bool],
  [['secrets', '*', 'external'], bool],
  [['configs', '*', 'external'], bool],
];

/** The last keys of the typed paths, to skip the pattern search for every other string. */
const LAST_KEYS = new Set(CASTS.map(([p]) => p.at(-1)).filter((k): k is string => k !== '*' && k !== '[]'));

function castFor(path: Path): Cast | null {
  const last = path.at(-1);
  if (typeof last !== 'string' || (!LAST_KEYS.has(last) && path.at(-2) !== 'ulimits')) return null;
  for (const [pattern, cast] of CASTS) {
    if (pattern.length !== path.length) continue;
    if (pattern.every((p, i) => p === '*' || (p === '[]' ? typeof path[i] === 'number' : p === path[i]))) return cast;
  }
  return null;
}

export interface CastReport {
  error(path: Path, message: string): void;
  warn(path: Path, message: string): void;
}

/**
 * Casts, in place, the strings at typed paths of `data`. `only` limits it to the strings it says (a Boltfile: the
 * ones that held a variable before interpolation).
 */
export function castTypedValues(data: unknown, report: CastReport, only: (path: Path) => boolean = () => true): void {
  const walk = (v: unknown, path: Path): void => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        if (typeof x === 'string') castAt(v as unknown as Record<number, unknown>, i, x, [...path, i]);
        else walk(x, [...path, i]);
      });
    } else if (typeof v === 'object' && v !== null) {
      const o = v as Record<string, unknown>;
      for (const [k, x] of Object.entries(o)) {
        if (typeof x === 'string') castAt(o, k, x, [...path, k]);
        else walk(x, [...path, k]);
      }
    }
  };
  const castAt = (container: Record<string | number, unknown>, key: string | number, text: string, path: Path): void => {
    const cast = castFor(path);
    if (!cast || !only(path)) return;
    const r = cast(text);
    if (!r.ok) {
      report.error(path, `failed to cast to expected type: ${r.message}`);
      return;
    }
    if (r.warning) report.warn(path, r.warning);
    container[key] = r.value;
  };
  walk(data, []);
}
