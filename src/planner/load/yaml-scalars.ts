// What a plain YAML scalar means in a compose file. compose-go decodes YAML with go-yaml into untyped values, so a
// compose file means what go-yaml's resolver says: YAML 1.2 booleans only (`yes`, `on`, `no`, `off` stay strings),
// `~`/`null`/empty for null, and integers as Go's strconv.ParseInt with base 0 reads them after dropping `_`
// (`0x1F`, `0o17`, `0b101`, and a leading zero meaning octal: `0440` is 288). Timestamps stay strings here: Go
// would make a time value, which no compose key accepts.

const TRUE = new Set(['true', 'True', 'TRUE']);
const FALSE = new Set(['false', 'False', 'FALSE']);
const NULL = new Set(['', '~', 'null', 'Null', 'NULL']);
const NAN = new Set(['.nan', '.NaN', '.NAN']);
const INF = new Set(['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']);
const NEG_INF = new Set(['-.inf', '-.Inf', '-.INF']);
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** strconv.ParseInt(text, 0, 64) / ParseUint: sign, then 0x / 0o / 0b / leading-0 octal / decimal. */
function goInteger(text: string): number | null {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!m) return null;
  const sign = m[1] === '-' ? -1n : 1n;
  const digits = m[2] as string;
  let value: bigint;
  if (/^0[xXoObB]/.test(digits)) value = BigInt(`0${digits[1]?.toLowerCase()}${digits.slice(2)}`);
  else if (digits.length > 1 && digits.startsWith('0')) value = BigInt(`0o${digits.slice(1)}`);
  else value = BigInt(digits);
  const signed = sign * value;
  // int64, or uint64 for a positive value beyond it: past that go-yaml tries a float.
  if (signed < -(2n ** 63n) || signed >= 2n ** 64n) return null;
  return Number(signed);
}

/** The value of a plain (unquoted, untagged) scalar, as go-yaml resolves it into an untyped value. */
export function resolvePlainScalar(text: string): unknown {
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  if (NULL.has(text)) return null;
  if (NAN.has(text)) return Number.NaN;
  if (INF.has(text)) return Number.POSITIVE_INFINITY;
  if (NEG_INF.has(text)) return Number.NEGATIVE_INFINITY;
  if (text === '-0' || text === '-0.0') return -0;
  const first = text[0] ?? '';
  if (first === '.') {
    return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(text) ? Number.parseFloat(text) : text;
  }
  if (!/[-+0-9]/.test(first)) return text;
  if (/^\d{4}-/.test(text)) return text;
  const plain = text.replaceAll('_', '');
  const int = goInteger(plain);
  if (int !== null) return int;
  if (YAML_STYLE_FLOAT.test(plain)) return Number.parseFloat(plain);
  return text;
}

/** A scalar with an explicit standard tag (`!!str 5`, `!!int "5"`); null when the text does not fit the tag. */
export function resolveTaggedScalar(tag: string, text: string): { value: unknown } | null {
  const short = tag.replace(/^tag:yaml\.org,2002:/, '!!');
  switch (short) {
    case '!!str':
    case '!!binary':
      return { value: text };
    case '!!null':
      return NULL.has(text) ? { value: null } : null;
    case '!!bool':
      return TRUE.has(text) ? { value: true } : FALSE.has(text) ? { value: false } : null;
    case '!!int': {
      const v = goInteger(text.replaceAll('_', ''));
      return v === null ? null : { value: v };
    }
    case '!!float': {
      const v = resolvePlainScalar(text);
      return typeof v === 'number' ? { value: v } : null;
    }
    default:
      // Any other tag (`!custom`): go-yaml keeps the text.
      return { value: text };
  }
}
