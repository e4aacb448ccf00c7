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
 * The first group's order. Vitest would start the waiting files last (it orders a fresh clone's
 * files by project name, then by size, and these are short files that run long) and the kill -9
 * test late, so the group waited on them. Here the kill -9 test starts first and the waiting files
 * are spread evenly through the first half of the queue, so that at any time about one worker sleeps in a waiting
 * file while the others keep the cores busy with the rest.
 */
class FirstGroupOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const ordered = await super.sort(files);
    const is = (file: TestSpecification, paths: readonly string[]) =>
      paths.some((path) => file.moduleId.endsWith(path));
    const first = ordered.filter((f) => f.project.config.sequence.groupOrder === 0);
    const later = ordered.filter((f) => f.project.config.sequence.groupOrder !== 0);
    const crash = first.filter((f) => is(f, ['test/crash/killRecovery.test.ts']));
    const waiting = first.filter((f) => is(f, WAITING));
    const rest = first.filter((f) => !crash.includes(f) && !waiting.includes(f));
    // Over the first half of the queue only: a waiting file started near the end would be the
    // group's tail.
    const every = Math.max(1, Math.floor(rest.length / 2 / Math.max(1, waiting.length)));
    const spread: TestSpecification[] = [];
    rest.forEach((file, i) => {
      if (i % every === 0 && waiting.length > 0) spread.push(waiting.shift()!);
      spread.push(file);
    });
    return [...crash, ...spread, ...waiting, ...later];
  }
}

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: ['default'],
    sequence: { sequencer: FirstGroupOrder },
    projects: [
      {
        extends: true,
        // Everything else: logic on manual clocks. The kill -9 test (test/crash/) is here: it
        // checks that the database and the exchange agree after every kill, never how long
        // anything took. Three files at a time on a two-core machine, because one of the three is
        // usually a waiting file asleep.
        test: {
          name: 'parallel',
          include: ['test/**/*.test.ts'],
          exclude: [...TIMED, ...WAITING],
          maxWorkers: 3,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        // Same group, so the same three workers as 'parallel' (Vitest gives a group one pool).
        test: { name: 'waiting', include: WAITING, maxWorkers: 3, sequence: { groupOrder: 0 } },
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
