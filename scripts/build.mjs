// `npm run build` (and `npm start` before it runs): compiles src/ to dist/ with esbuild, one
// JavaScript file per TypeScript file, so production runs plain JavaScript without tsx
// compiling at run time. Type checking stays with `npm run typecheck`; esbuild only strips
// types (well under a second), which keeps `npm start` from a fresh clone quick.
// The folder layout is kept (dist/persistence/migrate.js still finds ../../migrations).
import { rmSync } from 'node:fs';
import { fileURLToPath, URL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist`;

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['src/**/*.ts'],
  outdir,
  outbase: 'src',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
});
