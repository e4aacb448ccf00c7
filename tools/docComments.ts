/**
 * Finds exported declarations in `src/` without a doc comment that says what they are for.
 *
 * Only the syntax tree is needed (no type-check), so the whole tree is scanned in well under a
 * second. A symbol counts as documented when one of its declarations (overloads, merged
 * interfaces) carries a `/** … *\/` block whose text is more than the symbol's own name.
 * Re-exports (`export { x } from …`) are documented where `x` is declared, so they are skipped.
 *
 * Run `npm run docs:exports` for the count and the list; `test/repo/docComments.test.ts` keeps
 * the list empty in `npm test`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** One exported symbol that lacks a doc comment, located for the error message. */
export interface UndocumentedExport {
  /** Path relative to the repository root, with forward slashes. */
  file: string;
  /** 1-based line of the symbol's first declaration. */
  line: number;
  /** The exported name. */
  name: string;
  /** What kind of declaration it is: function, class, interface, type, const, enum, default. */
  kind: string;
}

/** Totals over a source tree, for the report printed by the command line. */
export interface DocCoverage {
  /** Every exported symbol found, documented or not. */
  exported: number;
  /** The ones without a usable doc comment. */
  undocumented: UndocumentedExport[];
  /** Exported symbols per top folder (`src/app`, …), to show where the gaps are. */
  exportedByFolder: Map<string, number>;
}

/** The repository root (this file lives in `tools/`). */
export const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|mts|cts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out.sort();
}

function isExported(node: ts.Node): boolean {
  return (
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
  );
}

/** The text of the `/** … *\/` blocks right before `node`, markers and tags' syntax removed. */
function docText(node: ts.Node, source: ts.SourceFile): string {
  const ranges = ts.getLeadingCommentRanges(source.text, node.getFullStart()) ?? [];
  return ranges
    .map((r) => source.text.slice(r.pos, r.end))
    .filter((c) => c.startsWith('/**') && c !== '/**/')
    .map((c) =>
      c
        .replace(/^\/\*\*|\*\/$/g, '')
        .replace(/^\s*\*/gm, '')
        .trim(),
    )
    .join(' ')
    .trim();
}

/** Whether a comment says something beyond the name it sits on. */
function saysSomething(text: string, name: string): boolean {
  const words = text.replace(/[`{}@*.,:;()]/g, ' ').trim();
  return words.length > 0 && words.toLowerCase() !== name.toLowerCase();
}

interface Found {
  name: string;
  kind: string;
  line: number;
  documented: boolean;
}

function exportsOf(source: ts.SourceFile): Found[] {
  const found: Found[] = [];
  const add = (node: ts.Node, name: string, kind: string, docNode: ts.Node = node): void => {
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    found.push({ name, kind, line, documented: saysSomething(docText(docNode, source), name) });
  };
  for (const st of source.statements) {
    if (ts.isExportAssignment(st)) {
      add(st, 'default', 'default');
      continue;
    }
    if (!isExported(st)) continue;
    if (ts.isFunctionDeclaration(st)) add(st, st.name?.text ?? 'default', 'function');
    else if (ts.isClassDeclaration(st)) add(st, st.name?.text ?? 'default', 'class');
    else if (ts.isInterfaceDeclaration(st)) add(st, st.name.text, 'interface');
    else if (ts.isTypeAliasDeclaration(st)) add(st, st.name.text, 'type');
    else if (ts.isEnumDeclaration(st)) add(st, st.name.text, 'enum');
    else if (ts.isModuleDeclaration(st)) add(st, st.name.getText(source), 'namespace');
    else if (ts.isVariableStatement(st)) {
      const kind = st.declarationList.flags & ts.NodeFlags.Const ? 'const' : 'let';
      for (const decl of st.declarationList.declarations) {
        // One statement, one comment: `export const a = 1, b = 2` documents both with its block.
        const names = ts.isIdentifier(decl.name) ? [decl.name.text] : bindingNames(decl.name);
        for (const name of names) add(decl, name, kind, st);
      }
    }
  }
  return found;
}

function bindingNames(pattern: ts.BindingName): string[] {
  if (ts.isIdentifier(pattern)) return [pattern.text];
  return pattern.elements.flatMap((el) => (ts.isOmittedExpression(el) ? [] : bindingNames(el.name)));
}

/** Scans every TypeScript file under `dirs` (relative to `root`) for exported symbols. */
export function docCoverage(root: string = repoRoot, dirs: readonly string[] = ['src']): DocCoverage {
  let exported = 0;
  const undocumented: UndocumentedExport[] = [];
  const exportedByFolder = new Map<string, number>();
  for (const dir of dirs) {
    for (const path of sourceFiles(join(root, dir))) {
      const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, false);
      // Overloads and merged declarations share a name: documented if any of them is.
      const byName = new Map<string, Found[]>();
      for (const f of exportsOf(source)) byName.set(f.name, [...(byName.get(f.name) ?? []), f]);
      const file = relative(root, path).split('\\').join('/');
      for (const [name, decls] of byName) {
        exported += 1;
        exportedByFolder.set(folderOf(file), (exportedByFolder.get(folderOf(file)) ?? 0) + 1);
        if (decls.some((d) => d.documented)) continue;
        const first = decls[0]!;
        undocumented.push({ file, line: first.line, name, kind: first.kind });
      }
    }
  }
  return { exported, undocumented, exportedByFolder };
}

/** `src/app/x/y.ts` → `src/app`; files directly in `src/` count as `src`. */
function folderOf(file: string): string {
  const parts = file.split('/');
  return parts.length > 2 ? parts.slice(0, 2).join('/') : parts[0]!;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const listAll = process.argv.includes('--list');
  const { exported, undocumented, exportedByFolder } = docCoverage();
  if (listAll) for (const u of undocumented) console.log(`${u.file}:${u.line}  ${u.kind} ${u.name}`);
  const missing = new Map<string, number>();
  for (const u of undocumented) missing.set(folderOf(u.file), (missing.get(folderOf(u.file)) ?? 0) + 1);
  for (const [folder, total] of [...exportedByFolder].sort()) {
    console.log(`${folder}: ${missing.get(folder) ?? 0} of ${total} without a doc comment`);
  }
  console.log(`${undocumented.length} of ${exported} exported symbols in src/ have no doc comment`);
}
