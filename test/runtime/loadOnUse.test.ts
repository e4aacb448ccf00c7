/**
 * Chart rendering libraries are loaded when a chart is drawn, not when the bot starts: a child
 * process imports the whole runtime (every module `npm start` loads before it runs) with a
 * module-resolution hook that logs each module resolved, then draws one chart.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

// Runs in Node's hooks thread; appends every resolved URL to the file named by IMPORT_LOG.
const HOOK = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(process.env.IMPORT_LOG, resolved.url + '\\n');
  return resolved;
}`;

const SCRIPT = `
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOK)}));
await import('./src/runtime/createRuntime.ts');
appendFileSync(process.env.IMPORT_LOG, '--- chart\\n');
const { vegaLiteToSvg } = await import('./src/ops/charts/renderVegaLite.ts');
const { svg } = await vegaLiteToSvg({ data: { values: [{ x: 1, y: 2 }] }, mark: 'point', encoding: { x: { field: 'x', type: 'quantitative' } } });
if (!svg.includes('<svg')) throw new Error('no svg drawn');
`;

const CHART_LIBS = /\/node_modules\/(vega|vega-lite|@resvg\/resvg-js)\//;

describe('load on use', () => {
  it('imports vega, vega-lite and resvg only when a chart is drawn', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'autopilot-imports-')), 'imports.log');
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT], {
        cwd: ROOT,
        env: { ...process.env, IMPORT_LOG: log },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      child.on('error', reject);
      child.on('exit', resolve);
    });
    expect(code).toBe(0);
    const [atStart, onChart] = readFileSync(log, 'utf8').split('--- chart\n') as [string, string];
    expect(atStart, 'the runtime was imported').toMatch(/\/node_modules\/grammy\//);
    expect(atStart, 'no chart library at start').not.toMatch(CHART_LIBS);
    expect(onChart, 'vega on the first chart').toMatch(/\/node_modules\/vega\//);
    expect(onChart, 'vega-lite on the first chart').toMatch(/\/node_modules\/vega-lite\//);
  }, 60_000);
});
