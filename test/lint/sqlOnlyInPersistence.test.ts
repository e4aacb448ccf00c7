import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();
const SAMPLE = `import type { Db } from '../persistence/db.js';
export const count = (db: Db) => db.prepare('SELECT COUNT(*) AS n FROM fills').get();
export const sql = \`UPDATE orders SET status = 'NEW' WHERE id = ?\`;
`;

async function sqlErrors(filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(SAMPLE, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

describe('the SQL lint rule', () => {
  it('fails on SQL outside src/persistence/ and allows it inside', async () => {
    const outside = await sqlErrors('src/app/sampleQueries.ts');
    expect(outside.length, 'prepare(), the string and the template are each flagged').toBeGreaterThanOrEqual(
      3,
    );
    expect(outside[0]).toMatch(/SQL belongs in src\/persistence/);
    expect(await sqlErrors('src/persistence/SampleRepository.ts')).toEqual([]);
  });

  it('does not mistake words or HTTP routes for SQL', async () => {
    const [result] = await eslint.lintText(
      "export const route = 'DELETE /api/v3/order';\nexport const text = `update dropped, select a pair`;\n",
      { filePath: 'src/app/sample.ts' },
    );
    expect(result!.messages.filter((m) => m.ruleId === 'no-restricted-syntax')).toEqual([]);
  });
});
