/**
 * Times cold rebuilds of the running PnL snapshot over a fills database: what the bot does at
 * start (`new RunningPnl`: every priced fill streamed from SQLite, replayed, compared with the
 * stored copy, stored). Shared by the pnl benchmark's own process and the child it starts with
 * `npm start`'s V8 flags (`bench/pnlRebuildChild.ts`), so both time the same thing.
 */
import { FillRepository } from '../../src/persistence/FillRepository.js';
import { openDatabase } from '../../src/persistence/db.js';
import { RunningPnl } from '../../src/runtime/RunningPnl.js';
import { silentLogger } from '../../src/common/logger.js';

/** Wall and CPU milliseconds of each rebuild. */
export interface RebuildTimes {
  readonly wall: number[];
  readonly cpu: number[];
}

/**
 * `count` cold rebuilds over the database at `path`, the clock at `now` (which decides the
 * realisations kept in memory: those of the last days before it).
 */
export function rebuildTimes(path: string, now: number, count: number): RebuildTimes {
  const db = openDatabase(path);
  try {
    const ledger = new FillRepository({ db, clock: { now: () => now }, assetsOf: () => undefined });
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < count; i++) {
      const started = process.hrtime.bigint();
      const cpuStart = process.cpuUsage();
      new RunningPnl({ ledger, logger: silentLogger(), clock: { now: () => now } });
      wall.push(Number(process.hrtime.bigint() - started) / 1e6);
      const used = process.cpuUsage(cpuStart);
      cpu.push((used.user + used.system) / 1000);
    }
    return { wall, cpu };
  } finally {
    db.close();
  }
}
