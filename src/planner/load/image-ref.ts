// Image references checked against the grammar of distribution/reference (what the engine parses, and refuses with
// "invalid reference format"), so `validate` fails on what `up` would: `image = "nginx:${TAG}"` with TAG unset is
// "nginx:", an empty tag. One pass over the string, no regular expression with backtracking. The message says what is
// wrong, never quoting the reference.
//
//   reference := name [ ":" tag ] [ "@" digest ]
//   name      := [ domain "/" ] path-component [ "/" path-component ]*
//   domain    := host [ ":" port ], host := domain-component [ "." domain-component ]* | "[" IPv6 "]"
//   domain-component := [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
//   path-component   := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
//   tag       := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
//   digest    := algorithm ":" hex, of the algorithms the engine knows: sha256 (64 hex digits), sha384, sha512
//
// The first part of a name is the registry (domain) when it can be one, as the grammar's optional `domain "/"` prefers;
// the 255-character limit is the path's, after it. docker refuses a reference of 64 hexadecimal digits (an image ID).

const isLower = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
const isAlnum = (c: string): boolean => isLower(c) || (c >= 'A' && c <= 'Z');
const isWord = (c: string): boolean => isAlnum(c) || c === '_';
const isHex = (c: string): boolean => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

function isPathComponent(s: string): boolean {
  let i = 0;
  for (;;) {
    const start = i;
    while (i < s.length && isLower(s[i] as string)) i++;
    if (i === start) return false;
    if (i === s.length) return true;
    const sep = s[i];
    if (sep === '.') i++;
    else if (sep === '_') i += s[i + 1] === '_' ? 2 : 1;
    else if (sep === '-') while (s[i] === '-') i++;
    else return false;
  }
}

function isDomainComponent(s: string): boolean {
  if (!s || !isAlnum(s[0] as string) || !isAlnum(s[s.length - 1] as string)) return false;
  for (const c of s) if (!isAlnum(c) && c !== '-') return false;
  return true;
}

function isDomain(s: string): boolean {
  let host = s;
  let port: string | null = null;
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    if (end < 2) return false;
    for (const c of s.slice(1, end)) if (!isHex(c) && c !== ':') return false;
    const after = s.slice(end + 1);
    if (after === '') return true;
    if (!after.startsWith(':')) return false;
    port = after.slice(1);
    host = '';
  } else {
    const colon = s.indexOf(':');
    if (colon >= 0) {
      host = s.slice(0, colon);
      port = s.slice(colon + 1);
    }
    if (!host.split('.').every(isDomainComponent)) return false;
  }
  return port === null || (port !== '' && [...port].every(isDigit));
}

/** The digest algorithms the engine knows (go-digest's registered ones), with their length in hex digits. */
const DIGEST_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

function checkDigest(digest: string): string | null {
  const colon = digest.indexOf(':');
  const length = colon < 0 ? undefined : DIGEST_LENGTH[digest.slice(0, colon)];
  const hex = digest.slice(colon + 1);
  if (length === undefined || hex.length !== length || ![...hex].every((c) => isDigit(c) || (c >= 'a' && c <= 'f'))) {
    return 'the digest after "@" must be sha256: and 64 lowercase hex digits (or sha384: 96, sha512: 128)';
  }
  return null;
}

/** What is wrong with an image reference, or null when it is valid. */
export function imageReferenceProblem(ref: string): string | null {
  // Services mostly share a few images: each distinct reference is checked once (a 5,000-service plan: ~7 ms → ~0).
  let known = checkedReferences.get(ref);
  if (known === undefined) {
    if (checkedReferences.size >= MAX_CHECKED) checkedReferences.clear();
    known = referenceProblem(ref);
    checkedReferences.set(ref, known);
  }
  return known;
}

/** Verdicts of imageReferenceProblem, by reference; bounded, since a long-running watch loads many projects. */
const checkedReferences = new Map<string, string | null>();
const MAX_CHECKED = 4096;

function referenceProblem(ref: string): string | null {
  if (ref === '') return 'it is empty';
  const at = ref.indexOf('@');
  if (at >= 0) {
    const problem = checkDigest(ref.slice(at + 1));
    if (problem) return problem;
  }
  const rest = at >= 0 ? ref.slice(0, at) : ref;
  const colon = rest.indexOf(':', rest.lastIndexOf('/') + 1);
  const name = colon >= 0 ? rest.slice(0, colon) : rest;
  if (colon >= 0) {
    const tag = rest.slice(colon + 1);
    if (tag === '') return 'the tag after ":" is empty';
    if (tag.length > 128 || !isWord(tag[0] as string) || ![...tag].every((c) => isWord(c) || c === '.' || c === '-')) {
      return 'the tag after ":" may hold letters, digits, "_", "." and "-" (at most 128, not starting with "." or "-")';
    }
  }
  if (name === '') return 'the repository name is empty';
  if (ref.length === 64 && [...ref].every((c) => isDigit(c) || (c >= 'a' && c <= 'f'))) return 'a repository name cannot be 64 hexadecimal digits (an image ID)';
  const parts = name.split('/');
  const path = parts.length > 1 && isDomain(parts[0] as string) ? parts.slice(1) : parts;
  if (path.join('/').length > 255) return 'the repository name is longer than 255 characters';
  for (const part of path) {
    if (part === '') return 'the repository name has an empty part between "/"';
    if (!isPathComponent(part)) {
      return /[A-Z]/.test(part)
        ? 'the repository name must be lowercase'
        : 'the repository name may hold lowercase letters, digits and separators ".", "_", "__" or "-" between them, and "/" between parts';
    }
  }
  return null;
}
