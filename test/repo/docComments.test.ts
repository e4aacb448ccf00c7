/**
 * Every exported symbol in `src/` carries a doc comment saying what it is for, so a newcomer can
 * read any module's surface without opening its callers. `npm run docs:exports -- --list` shows
 * the gaps.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docCoverage } from '../../tools/docComments.js';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'doc-comments-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('doc comments on exported symbols', () => {
  it('finds none missing in src/', () => {
    const { exported, undocumented } = docCoverage();
    expect(exported).toBeGreaterThan(100);
    expect(undocumented.map((u) => `${u.file}:${u.line} ${u.kind} ${u.name}`)).toEqual([]);
  });

  it('flags each kind of undocumented export and accepts documented ones', () => {
    const root = tree({
      'src/a.ts': [
        '/** The module header describes the file, then imports follow. */',
        "import { x } from './b.js';",
        'export function bare(): void {}',
        'export class Bare {}',
        'export interface BareShape { a: number }',
        'export type BareId = string;',
        'export const BARE = 1;',
        'export enum BareEnum { A }',
        '// A line comment is not a doc comment.',
        'export const lined = 2;',
        '/** documentedName */',
        'export const documentedName = 3;',
        '/** Converts a thing into another, for the caller that needs it. */',
        'export function documented(): void {}',
        '/** Overloads: the first declaration carries the comment. */',
        'export function over(a: string): string;',
        'export function over(a: number): number;',
        'export function over(a: unknown): unknown { return a; }',
        'export { x };',
        "export { y } from './b.js';",
        'const local = 4;',
        'export default local;',
      ].join('\n'),
      'src/b.ts': '/** What x is for. */\nexport const x = 1;\n/** What y is for. */\nexport const y = 2;\n',
    });
    const { exported, undocumented } = docCoverage(root, ['src']);
    expect(undocumented.map((u) => `${u.kind} ${u.name}`)).toEqual([
      'function bare',
      'class Bare',
      'interface BareShape',
      'type BareId',
      'const BARE',
      'enum BareEnum',
      'const lined',
      'const documentedName',
      'default default',
    ]);
    expect(exported).toBe(13);
  });
});
