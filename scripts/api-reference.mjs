// Generates docs/API.md, the reference of the library's public entry point (src/index.ts), from the sources' TSDoc:
// every export with its signature and its documentation. `--check` fails (exit 1) when an export has no
// documentation or docs/API.md is not what the sources say; test/unit/api/reference.test.ts runs it.
// It reads the sources with TypeScript 5's compiler API (the `typescript5` devDependency): TypeScript 7, which
// compiles surge, has no JavaScript API.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ts = createRequire(import.meta.url)('typescript5');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'src/index.ts');
const target = join(root, 'docs/API.md');

const program = ts.createProgram([entry], {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  skipLibCheck: true,
  types: ['node'],
  typeRoots: [join(root, 'node_modules/@types')],
});
const checker = program.getTypeChecker();
const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry));

/** @param {import('typescript').Symbol} s */
function docOf(s) {
  const text = ts.displayPartsToString(s.getDocumentationComment(checker)).trim();
  const examples = s
    .getJsDocTags(checker)
    .filter((t) => t.name === 'example')
    .map((t) => ts.displayPartsToString(t.text ?? []).trim());
  return { text, examples };
}

/** The declaration as written, without its doc comment and, for functions, without the body. */
function signature(decl) {
  const source = decl.getSourceFile();
  let text = source.text.slice(decl.getStart(source), decl.getEnd());
  if (ts.isFunctionDeclaration(decl) && decl.body) text = source.text.slice(decl.getStart(source), decl.body.getStart(source)).trim();
  if (ts.isClassDeclaration(decl)) {
    const members = decl.members
      .filter((m) => !(ts.getCombinedModifierFlags(m) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) && !(m.name && ts.isPrivateIdentifier(m.name)))
      .map((m) => {
        const raw = source.text.slice(m.getStart(source), m.getEnd());
        const body = ts.isMethodDeclaration(m) || ts.isConstructorDeclaration(m) || ts.isGetAccessor(m) ? m.body : undefined;
        const head = body ? source.text.slice(m.getStart(source), body.getStart(source)).trim() : raw.replace(/\s*=\s*\(.*$/s, '').replace(/;$/, '');
        const doc = ts.getJSDocCommentsAndTags(m).length ? `  /** ${ts.getTextOfJSDocComment(ts.getJSDocCommentsAndTags(m)[0].comment) ?? ''} */\n` : '';
        return `${doc}  ${head.replace(/\n\s*/g, ' ')};`;
      });
    text = `${source.text.slice(decl.getStart(source), decl.members.pos).trim()}\n${members.join('\n')}\n}`;
  }
  if (ts.isVariableDeclaration(decl)) text = `const ${decl.name.getText(source)}: ${checker.typeToString(checker.getTypeAtLocation(decl))}`;
  return text;
}

const sections = new Map();
const missing = [];
for (const exported of checker.getExportsOfModule(moduleSymbol).sort((a, b) => a.name.localeCompare(b.name))) {
  const s = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
  const decl = s.declarations?.[0];
  if (!decl) continue;
  const file = relative(root, decl.getSourceFile().fileName);
  if (file.startsWith('node_modules')) continue;
  const { text, examples } = docOf(s);
  if (!text) missing.push(`${exported.name} (${file})`);
  const entry = [`### \`${exported.name}\``, '', text || '_(undocumented)_', '', '```ts', signature(decl), '```'];
  for (const e of examples) entry.push('', 'Example:', '', e.startsWith('```') ? e : `\`\`\`ts\n${e}\n\`\`\``);
  const list = sections.get(file) ?? [];
  list.push(entry.join('\n'));
  sections.set(file, list);
}

const out = [
  '# surge-stack API reference',
  '',
  'Generated from the sources\' TSDoc by `node scripts/api-reference.mjs` (do not edit by hand). Everything here is',
  "exported from the package's one entry point: `import { … } from 'surge-stack'`. See README.md, \"Use from a",
  'program\", for a walk-through, and examples/api/ for a complete program.',
  '',
  ...[...sections.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([file, entries]) => [`## ${file}`, '', ...entries.flatMap((e) => [e, ''])]),
].join('\n');

if (process.argv.includes('--check')) {
  let failed = false;
  if (missing.length) {
    process.stderr.write(`exports without documentation:\n${missing.map((m) => `  ${m}`).join('\n')}\n`);
    failed = true;
  }
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    /* missing: out of date */
  }
  if (current !== out) {
    process.stderr.write('docs/API.md is out of date: run `node scripts/api-reference.mjs`\n');
    failed = true;
  }
  process.exit(failed ? 1 : 0);
}
writeFileSync(target, out);
process.stderr.write(`wrote docs/API.md (${[...sections.values()].reduce((n, l) => n + l.length, 0)} exports${missing.length ? `, ${missing.length} undocumented` : ''})\n`);
if (missing.length) process.stderr.write(`undocumented:\n${missing.map((m) => `  ${m}`).join('\n')}\n`);
