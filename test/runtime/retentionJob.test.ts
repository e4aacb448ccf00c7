import { describe, expect, it } from 'vitest';
import { CandleRepository } from '../../src/persistence/CandleRepository.js';
import { JobRunRepository } from '../../src/persistence/JobRunRepository.js';
import { OutboxRepository } from '../../src/persistence/OutboxRepository.js';
import { ScanRepository } from '../../src/persistence/ScanRepository.js';
import { RETENTION, retentionJob } from '../../src/runtime/opsJobs.js';
import { testDb } from '../helpers/testDb.js';

const NOW = Date.UTC(2026, 10, 24, 12);
const DAY = 86_400_000;

describe('retention job', () => {
  it('deletes old scan verdicts, finished job runs, sent messages and candles, and keeps everything recent or unsent', async () => {
    const db = testDb();
    const scan = db.prepare('INSERT INTO scans (started_at) VALUES (?)');
    const oldScan = Number(scan.run(NOW - RETENTION.scanVerdictsMs - DAY).lastInsertRowid);
    const newScan = Number(scan.run(NOW - DAY).lastInsertRowid);
    const verdict = db.prepare(
      "INSERT INTO scan_verdicts (scan_id, symbol, score, passed, verdict) VALUES (?, ?, 50, 0, '{}')",
    );
    verdict.run(oldScan, 'AAAUSDT');
    verdict.run(newScan, 'AAAUSDT');
    const run = db.prepare(
      "INSERT INTO job_runs (job, started_at, ended_at, outcome) VALUES ('accumulate', ?, ?, 'ok')",
    );
    run.run(NOW - RETENTION.jobRunsMs - DAY, NOW - RETENTION.jobRunsMs - DAY + 1);
    run.run(NOW - DAY, NOW - DAY + 1);
    db.prepare("INSERT INTO job_runs (job, started_at) VALUES ('scanner', ?)").run(
      NOW - RETENTION.jobRunsMs - DAY,
    );
    const message = db.prepare(
      "INSERT INTO outbox (chat_id, kind, text, status, created_at) VALUES ('1', 'fill', 'x', ?, ?)",
    );
    message.run('sent', NOW - RETENTION.sentMessagesMs - DAY);
    message.run('pending', NOW - RETENTION.sentMessagesMs - DAY);
    message.run('sent', NOW - DAY);

    const candles = new CandleRepository(db);
    const candle = (openTime: number) => ({
      openTime,
      open: '1',
      high: '2',
      low: '0.5',
      close: '1.5',
      volume: '10',
      quoteVolume: '15',
      closeTime: openTime + 60_000,
    });
    candles.keep('BTCUSDC', '1m', [candle(NOW - RETENTION.candlesMs - DAY), candle(NOW - DAY)]);

    const result = await retentionJob({
      scans: new ScanRepository(db),
      runs: new JobRunRepository(db),
      outbox: new OutboxRepository(db),
      candles,
    }).run({ now: NOW, trigger: 'schedule' });

    expect(result.summary).toBe('removed 1 scan verdicts, 1 job runs, 1 sent messages, 1 candles');
    expect(db.prepare('SELECT scan_id FROM scan_verdicts').all()).toEqual([{ scan_id: newScan }]);
    expect(
      (db.prepare('SELECT COUNT(*) AS n FROM scans').get() as { n: number }).n,
      'scans themselves are kept',
    ).toBe(2);
    expect(
      (db.prepare('SELECT COUNT(*) AS n FROM job_runs').get() as { n: number }).n,
      'unfinished runs are kept',
    ).toBe(2);
    expect(candles.openTimes('BTCUSDC', '1m', 0, NOW), 'recent candles are kept').toEqual([NOW - DAY]);
    expect(
      db.prepare('SELECT status FROM outbox ORDER BY id').all(),
      'unsent messages are never deleted',
    ).toEqual([{ status: 'pending' }, { status: 'sent' }]);
  });
});
