/**
 * The `jobs()` port of {@link HealthServer} read from the `job_runs` table the scheduler writes:
 * per job, the start of an unfinished run and the end of the last successful one.
 */
import type { Db } from '../persistence/db.js';
import type { JobHealth } from './HealthServer.js';

/**
 * Job health from `job_runs`. Runs without an end that started before `processStartedAt` belong
 * to a previous process (killed mid-run) and are not counted as running now.
 */
export function jobHealthFromDb(db: Db, options: { processStartedAt: number }): JobHealth[] {
  const rows = db
    .prepare(
      `SELECT job,
         MAX(CASE WHEN ended_at IS NULL AND started_at >= @since THEN started_at END) AS running_since,
         MAX(CASE WHEN outcome = 'ok' THEN ended_at END) AS last_ok_at
       FROM job_runs GROUP BY job ORDER BY job`,
    )
    .all({ since: options.processStartedAt }) as {
    job: string;
    running_since: number | null;
    last_ok_at: number | null;
  }[];
  return rows.map((r) => ({
    id: r.job,
    ...(r.running_since === null ? {} : { runningSinceMs: r.running_since }),
    ...(r.last_ok_at === null ? {} : { lastOkAt: r.last_ok_at }),
  }));
}
