import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Test files that assert tight wall-clock timings (answer within 1 s, jobs back within two
 * intervals at SIM_SPEED 600…) or run the simulator fast in real time. They run after the rest,
 * one file at a time, so that no other test file competes with them for the CPU and their figures
 * mean what they say.
 */
const TIMED = [
  'test/runtime/**/*.test.ts',
  'test/replay/**/*.test.ts',
  'test/scenarios/simulatedWeek.test.ts',
  'test/telegram/slowExchange.test.ts',
  'test/telegram/wrongToken.test.ts',
  'test/telegram/chatInterface.test.ts',
  'test/exchange/mexc/stream/**/*.test.ts',
  'test/exchange/mexc/MexcClient.errors.test.ts',
  'test/exchange/simulator/startSimulator.test.ts',
  'test/exchange/simulator/SimClock.test.ts',
  'test/integration/exchange/requestWeight.test.ts',
];

/**
 * Whole-process files that mostly wait in real time (a 30 s Telegram outage, orders paced by
 * MEXC's account-read limit) and assert only loose bounds (seconds, not milliseconds) or none at
 * all (spawned processes checked for what they print and leave behind). They run beside the
 * untimed files instead of after them: their waiting is where the CI minutes went.
 */
const WAITING = [
  'test/telegram/pollingSurvives.test.ts',
  'test/runtime/fillLatency.test.ts',
  'test/runtime/secrets.test.ts',
  'test/runtime/instanceLock.test.ts',
  'test/runtime/mainProcess.test.ts',
  'test/runtime/builtStart.test.ts',
];

/**
 * The longest files of the first group, longest first. Vitest would start them last (it orders a
 * fresh clone's files by project name, then by size, and these are short files that run long), so
 * the group waited on them; started first, the short files fill the other workers around them.
 */
const LONG_FIRST = ['test/crash/killRecovery.test.ts', ...WAITING];

/** Vitest's order, except that the files of LONG_FIRST start first within their group. */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const ordered = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const i = LONG_FIRST.findIndex((path) => file.moduleId.endsWith(path));
      return i < 0 ? LONG_FIRST.length : i;
    };
    const group = (file: TestSpecification) => file.project.config.sequence.groupOrder;
    return ordered
      .map((file, position) => ({ file, position }))
      .sort((a, b) => group(a.file) - group(b.file) || rank(a.file) - rank(b.file) || a.position - b.position)
      .map(({ file }) => file);
  }
}

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: ['default'],
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        extends: true,
        // Everything else: logic on manual clocks, two files at a time (the default on a
        // two-core machine would be one). The kill -9 test (test/crash/) is here: it checks that
        // the database and the exchange agree after every kill, never how long anything took.
        test: {
          name: 'parallel',
          include: ['test/**/*.test.ts'],
          exclude: [...TIMED, ...WAITING],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        // Same group, so the same two workers as 'parallel' (Vitest gives a group one pool).
        test: { name: 'waiting', include: WAITING, maxWorkers: 2, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: {
          name: 'timed',
          include: TIMED,
          exclude: WAITING,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
