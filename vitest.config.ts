import { defineConfig } from 'vitest/config';

/**
 * Test files that assert wall-clock timings (answer within 1 s, fill within 5 s…), spawn bot
 * processes or run the simulator in real time. They run after the rest, one file at a time, so
 * that no other test file competes with them for the CPU and their figures mean what they say.
 */
// The kill -9 test (test/crash/) stays with the rest: it checks that the database and the
// exchange agree after every kill, never how long anything took.
const SERIAL = [
  'test/runtime/**/*.test.ts',
  'test/replay/**/*.test.ts',
  'test/scenarios/simulatedWeek.test.ts',
  'test/telegram/slowExchange.test.ts',
  'test/telegram/pollingSurvives.test.ts',
  'test/telegram/wrongToken.test.ts',
  'test/telegram/chatInterface.test.ts',
  'test/exchange/mexc/stream/**/*.test.ts',
  'test/exchange/mexc/MexcClient.errors.test.ts',
  'test/exchange/simulator/startSimulator.test.ts',
  'test/exchange/simulator/SimClock.test.ts',
  'test/integration/exchange/requestWeight.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: ['default'],
    projects: [
      {
        extends: true,
        // Everything else: logic on manual clocks, two files at a time (the default on a
        // two-core machine would be one).
        test: {
          name: 'parallel',
          include: ['test/**/*.test.ts'],
          exclude: SERIAL,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'timed', include: SERIAL, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
