/**
 * What `npm start` runs after its build step, read from package.json's start script
 * (`node scripts/build.mjs && VAR=value … exec node <flags> dist/main.js`), so the benchmarks
 * that start the bot as production does cannot drift from it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The environment the start script sets for node (MALLOC_ARENA_MAX) and node's arguments. */
export interface StartCommand {
  readonly env: Record<string, string>;
  /** Node's flags and the entry point, e.g. `['--max-old-space-size=160', …, 'dist/main.js']`. */
  readonly args: readonly string[];
  /** The flags alone (the heap limits and the inlining budget). */
  readonly flags: readonly string[];
}

/** Parses the start script; throws when it no longer has the expected shape. */
export function startCommand(): StartCommand {
  const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: { start: string } };
  const script = pkg.scripts.start;
  const m = /&&\s*((?:[A-Z_]+=\S+\s+)*)exec\s+node\s+(.+)$/.exec(script);
  if (!m) throw new Error(`unexpected start script: ${script}`);
  const env = Object.fromEntries(
    m[1]!
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map((pair) => pair.split('=') as [string, string]),
  );
  const args = m[2]!.trim().split(/\s+/);
  return { env, args, flags: args.filter((a) => a.startsWith('--')) };
}
