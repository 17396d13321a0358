// What watch never reacts to: VCS and dependency folders, editor temporary files (vim, emacs, JetBrains),
// surge's own state, .dockerignore patterns of build contexts, and the user's `ignore` globs.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import dockerignoreModule from '@balena/dockerignore';
import picomatch from 'picomatch';

// The package is CommonJS (`module.exports = factory`): the default import is the factory itself at run time.
const dockerignore = dockerignoreModule as unknown as typeof dockerignoreModule.default;

const IGNORED_DIRS = new Set(['.git', '.hg', '.svn', 'node_modules', '.surge', '.idea', '__pycache__']);

const EDITOR_TEMP: RegExp[] = [
  /\.sw[a-p]$/, // vim swap files
  /~$/, // vim/emacs backups
  /^4913$/, // vim's write-permission probe
  /^\.#/, // emacs lock files
  /^#.*#$/, // emacs auto-save
  /___jb_(tmp|old)___$/, // JetBrains safe-write
  /\.tmp$/,
  /^\.DS_Store$/,
];

export function isDefaultIgnored(path: string): boolean {
  const parts = path.split(sep);
  if (parts.some((p) => IGNORED_DIRS.has(p))) return true;
  const name = basename(path);
  return EDITOR_TEMP.some((re) => re.test(name));
}

/**
 * A predicate for changed paths: the rule's `ignore` globs (relative to the rule's path) and, for a rebuild of a
 * build context, the context's .dockerignore (a file Docker would not send cannot change the image).
 */
export function ruleIgnore(root: string, globs: string[], dockerContext: string | null): (path: string) => boolean {
  const matchers = globs.map((g) => picomatch(g, { dot: true, basename: !g.includes('/') }));
  let docker: ((p: string) => boolean) | null = null;
  const file = dockerContext ? join(dockerContext, '.dockerignore') : null;
  if (dockerContext && file && existsSync(file)) {
    const ig = dockerignore({ ignorecase: false }).add(readFileSync(file, 'utf8'));
    docker = (p) => {
      const rel = relative(dockerContext, p);
      return !rel.startsWith('..') && rel !== '' && ig.ignores(rel.split(sep).join('/'));
    };
  }
  return (path: string) => {
    if (docker?.(path)) return true;
    const rel = relative(root, path);
    if (!rel || rel.startsWith('..')) return false;
    const posix = rel.split(sep).join('/');
    return matchers.some((m) => m(posix));
  };
}
