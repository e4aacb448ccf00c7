import { describe, expect, it } from 'vitest';
import { JobRunRepository } from '../../src/persistence/JobRunRepository.js';
import { ScanRepository } from '../../src/persistence/ScanRepository.js';
import { testDb } from '../helpers/testDb.js';

describe('ScanRepository: one reading of scans and verdicts for the strategies, the scan report and the chat', () => {
  it('reads back what it stored: the scan, its leaders, the top verdicts and a verdict with its gates', () => {
    const db = testDb();
    const scans = new ScanRepository(db);
    const gates = [
      { gate: 'rsi', ok: true, value: '35.2', limit: '40', points: 30 },
      { gate: 'volume', ok: false, value: '1.2', limit: '2' },
    ];
    const id = scans.insert(
      {
        universe: 300,
        analysed: 80,
        leaders: ['PEPEUSDT'],
        verdicts: [
          { symbol: 'PEPEUSDT', score: 70, passed: true, gates },
          { symbol: 'DOGEUSDT', score: 40, passed: false, gates: [] },
        ],
        requests: 90,
        weight: 120,
      },
      { startedAt: 1_000, endedAt: 2_000 },
    );
    expect(scans.latest()).toEqual({
      id,
      startedAt: 1_000,
      endedAt: 2_000,
      universe: 300,
      analysed: 80,
      requests: 90,
      weight: 120,
      leaders: ['PEPEUSDT'],
    });
    expect(scans.topVerdicts(id, 10)).toEqual([
      { symbol: 'PEPEUSDT', score: 70, passed: true },
      { symbol: 'DOGEUSDT', score: 40, passed: false },
    ]);
    expect(scans.latestVerdict('PEPEUSDT')).toMatchObject({
      scanId: id,
      scanAt: 1_000,
      score: 70,
      passed: true,
      gates,
    });
    db.close();
  });

  it('prefers the latest finished scan for /scan, and the latest of all for the leaders strategies follow', () => {
    const db = testDb();
    const scans = new ScanRepository(db);
    db.prepare(
      'INSERT INTO scans (id, started_at, ended_at, universe, analysed, leaders) VALUES (1, 10, 20, 5, 5, \'["A"]\')',
    ).run();
    db.prepare(
      "INSERT INTO scans (id, started_at, universe, analysed, leaders) VALUES (2, 30, 6, 0, '[]')",
    ).run();
    expect(scans.latestFinished()?.id, 'the finished one').toBe(1);
    expect(scans.latest()?.id, 'the newest one').toBe(2);
    db.close();
  });

  it('a row whose leaders or gates cannot be read keeps its numbers, with no leaders and the raw verdict', () => {
    const db = testDb();
    const scans = new ScanRepository(db);
    db.prepare(
      "INSERT INTO scans (id, started_at, ended_at, universe, analysed, leaders) VALUES (1, 10, 20, 5, 5, 'not json')",
    ).run();
    db.prepare("INSERT INTO scan_verdicts VALUES (1, 'PEPEUSDT', 30, 0, '{\"gates\": 3}')").run();
    expect(scans.latest(), 'numbers kept, leaders none').toMatchObject({ id: 1, universe: 5, leaders: [] });
    expect(scans.latestVerdict('PEPEUSDT')).toMatchObject({
      score: 30,
      gates: undefined,
      raw: '{"gates": 3}',
    });
    db.close();
  });
});

describe('JobRunRepository.lastOfEach', () => {
  it('gives the latest run of every job, open or closed', () => {
    const db = testDb();
    const runs = new JobRunRepository(db);
    const first = runs.start('scanner', 100);
    runs.finish(first, { endedAt: 110, outcome: 'error', error: 'timeout' });
    const second = runs.start('scanner', 200);
    runs.finish(second, { endedAt: 210, outcome: 'ok', summary: '80 analysed' });
    runs.start('accumulate', 300);
    const last = runs.lastOfEach();
    expect(last.get('scanner')).toEqual({
      id: second,
      job: 'scanner',
      startedAt: 200,
      endedAt: 210,
      outcome: 'ok',
      summary: '80 analysed',
    });
    expect(last.get('accumulate')).toMatchObject({ job: 'accumulate', startedAt: 300, outcome: undefined });
    expect(last.size).toBe(2);
    db.close();
  });
});
