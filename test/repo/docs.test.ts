/**
 * The repository explains itself: the settings reference in docs/strategies.md lists every
 * runtime setting, and no file points a reader at a document outside the repository.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SETTING_KEYS } from '../../src/settings/definitions.js';
import { repoRoot } from '../../tools/docComments.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'results' ? [] : filesUnder(path);
    return /\.(ts|js|cjs|md|sql)$/.test(entry.name) ? [path] : [];
  });
}

describe('repository documentation', () => {
  it('docs/strategies.md lists every runtime setting', () => {
    const doc = readFileSync(join(repoRoot, 'docs/strategies.md'), 'utf8');
    expect(SETTING_KEYS.filter((key) => !doc.includes(`\`${key}\``))).toEqual([]);
  });

  it('cites no document outside the repository', () => {
    // Section marks and the names of design notes that live outside the repository (this file
    // has to name them, so it is the one file left out).
    const outside = /§|product\.md|(?<![\w-])style\.md|ecosystem-notes|mexc-spot-v3\.md|shared\/docs/;
    const dirs = ['src', 'test', 'docs', 'bench', 'deploy', 'migrations'];
    const offenders = [...dirs.flatMap((d) => filesUnder(join(repoRoot, d))), join(repoRoot, 'README.md')]
      .filter((path) => path !== fileURLToPath(import.meta.url))
      .filter((path) =>
        readFileSync(path, 'utf8')
          .split('\n')
          .some((line) => outside.test(line)),
      )
      .map((path) => relative(repoRoot, path));
    expect(offenders).toEqual([]);
  });
});
