import { describe, expect, it } from 'vitest';
import { startCommand } from '../../bench/lib/startCommand.js';

describe("the benchmarks' reading of npm start", () => {
  it('finds the environment, the heap flags and the entry point of the start script', () => {
    const start = startCommand();
    expect(start.env).toEqual({ MALLOC_ARENA_MAX: '2' });
    expect(start.args.at(-1)).toBe('dist/main.js');
    expect(start.flags).toContain('--max-old-space-size=160');
    expect(start.flags).toContain('--max-semi-space-size=1');
    expect(start.flags).toContain('--no-parallel-scavenge');
    expect(start.flags).toContain('--max-inlined-bytecode-size-cumulative=230');
    expect(start.args).toEqual([...start.flags, 'dist/main.js']);
  });
});
