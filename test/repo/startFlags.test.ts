import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { startCommand } from '../../bench/lib/startCommand.js';

const require = createRequire(import.meta.url);
const DOCKERFILE = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');

/** Node's flags in the Docker image's CMD (a JSON array ending in the entry point). */
function dockerFlags(): string[] {
  const cmd = /^CMD (\[.*\])$/m.exec(DOCKERFILE);
  if (cmd === null) throw new Error('Dockerfile has no CMD in exec form');
  const args = JSON.parse(cmd[1]!) as string[];
  expect(args[0]).toBe('node');
  expect(args.at(-1)).toBe('dist/main.js');
  return args.slice(1, -1);
}

describe('the three ways to run the bot in production', () => {
  it('give node the same flags and malloc setting as npm start', () => {
    // The benchmarks read npm start's flags; PM2 and Docker must run what was measured.
    const start = startCommand();
    const pm2 = (
      require('../../deploy/ecosystem.config.cjs') as {
        apps: { node_args: string[]; env: Record<string, string> }[];
      }
    ).apps[0]!;
    expect(pm2.node_args).toEqual(start.flags);
    expect(dockerFlags()).toEqual(start.flags);
    expect(pm2.env.MALLOC_ARENA_MAX).toBe(start.env.MALLOC_ARENA_MAX);
    expect(DOCKERFILE).toMatch(new RegExp(`MALLOC_ARENA_MAX=${start.env.MALLOC_ARENA_MAX}\\b`));
  });
});
