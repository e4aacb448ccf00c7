/**
 * The kill loop of the crash test: start a trading child, SIGKILL it at a seeded moment, wait for
 * it to die, repeat. Kill moments (one plan per life):
 * - `startup`: a delay after `go`, landing in migrations, rule loading or start-up reconciliation;
 * - `timed`: a delay after `ready`;
 * - `line`: the n-th line of one phase (`send` = persisted PENDING with the request leaving,
 *   `ack` = acknowledged but not yet marked NEW, `sync` = reading fills, …), killed from inside
 *   the line callback;
 * - `fault`: the simulator's accept-then-503 fault armed, killed at the child's `unknown` line,
 *   i.e. with the executed order still UNKNOWN in the database.
 * Two children load ahead while one trades (tsx start-up is the slow part); a waiting child has
 * not opened the database, so only one bot ever runs on it.
 */
import type { SimulatorHandle } from '../../src/exchange/simulator/index.js';
import type { CrashChild } from './crashChild.js';
import type { Rng } from './seeded.js';

/** Phases a `line` kill may target; the two around the order POST count double. */
const KILL_TAGS = [
  'send',
  'send',
  'ack',
  'ack',
  'nack',
  'placed',
  'cancel',
  'track',
  'sync',
  'synced',
  'reconcile',
];
/** Longest a child may trade before it is killed anyway. */
const MAX_LIFE_MS = 3_000;
const LOAD_TIMEOUT_MS = 60_000;

type KillPlan =
  | { readonly kind: 'startup'; readonly afterMs: number }
  | { readonly kind: 'timed'; readonly afterMs: number }
  | { readonly kind: 'line'; readonly tag: string; readonly nth: number }
  | { readonly kind: 'fault' };

export interface KillLoopOptions {
  readonly kills: number;
  readonly sim: SimulatorHandle;
  readonly rng: Rng;
  /** Share of lives with the accept-then-503 fault armed. */
  readonly faultShare: number;
  /** Spawns a held trading child (it waits for `go`). */
  readonly spawn: (life: number) => CrashChild;
}

export interface KillLoopReport {
  readonly kills: number;
  readonly faultRuns: number;
  /** Client ids the bot marked UNKNOWN after a 503, killed before resolving them. */
  readonly unknownAtKill: readonly string[];
  /** Children that ended other than by the parent's SIGKILL, with their stderr tail. */
  readonly unexpectedExits: readonly string[];
  /** Kills counted by the phase of the child's last line. */
  readonly lastPhase: Readonly<Record<string, number>>;
  /** Each killed child's last line. */
  readonly lastLines: readonly string[];
  /** Mean ms: waiting for a loaded child, `go` to `ready`, `go` to kill. */
  readonly meanMs: { readonly load: number; readonly ready: number; readonly life: number };
}

export const phaseOf = (line: string): string => line.split(' ', 1)[0] ?? '';

function planKill(rng: Rng, faultShare: number): KillPlan {
  const r = rng.next();
  if (r < faultShare) return { kind: 'fault' };
  if (r < faultShare + 0.1) return { kind: 'startup', afterMs: rng.int(0, 900) };
  if (r < faultShare + 0.35) return { kind: 'timed', afterMs: rng.int(0, 1_500) };
  return { kind: 'line', tag: rng.pick(KILL_TAGS), nth: rng.int(1, 5) };
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mean = (xs: readonly number[]) => Math.round(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length));

/** Lives until the plan's moment, then SIGKILL. */
async function killPerPlan(child: CrashChild, plan: KillPlan): Promise<void> {
  if (plan.kind === 'startup') {
    await delay(plan.afterMs);
  } else if (plan.kind === 'timed') {
    await child.waitFor((l) => l === 'ready', LOAD_TIMEOUT_MS);
    await delay(plan.afterMs);
  } else {
    let seen = 0;
    const [tag, nth] = plan.kind === 'fault' ? ['unknown', 1] : [plan.tag, plan.nth];
    const wanted = (l: string) => phaseOf(l) === tag && ++seen >= nth;
    // Killed from inside the line callback (start-up reconciliation included): as close to that
    // moment as a parent can get.
    const off = child.onLine((l) => {
      if (wanted(l)) child.kill();
    });
    await child.waitFor((l) => l === 'ready', LOAD_TIMEOUT_MS);
    await child.waitFor(() => false, MAX_LIFE_MS);
    off();
  }
  child.kill();
}

export async function runKillLoop(o: KillLoopOptions): Promise<KillLoopReport> {
  const unexpectedExits: string[] = [];
  const lastPhase: Record<string, number> = {};
  const lastLines: string[] = [];
  const unknownAtKill: string[] = [];
  const times = { load: [] as number[], ready: [] as number[], life: [] as number[] };
  let faultRuns = 0;
  let spawned = 0;
  const ahead = [o.spawn(spawned++), o.spawn(spawned++)];
  try {
    for (let i = 0; i < o.kills; i++) {
      const child = ahead.shift()!;
      const waitedAt = Date.now();
      if (!(await child.waitFor((l) => l === 'loaded', LOAD_TIMEOUT_MS))) {
        throw new Error(`child ${i} did not load: ${child.stderrTail}`);
      }
      const plan = planKill(o.rng, o.faultShare);
      if (plan.kind === 'fault') {
        faultRuns += 1;
        o.sim.faults.acceptThenFail({ status: 503, count: 1 });
      }
      const goAt = Date.now();
      times.load.push(goAt - waitedAt);
      child.go();
      void child
        .waitFor((l) => l === 'ready', LOAD_TIMEOUT_MS)
        .then((ok) => {
          if (ok) times.ready.push(Date.now() - goAt);
        });
      ahead.push(o.spawn(spawned++));
      await killPerPlan(child, plan);
      times.life.push(Date.now() - goAt);
      const exit = await child.exited;
      o.sim.faults.reset();
      if (exit.signal !== 'SIGKILL') {
        unexpectedExits.push(`child ${i} exited ${exit.code}/${exit.signal}: ${child.stderrTail}`);
      }
      const lastLine = child.lines.at(-1) ?? '(nothing)';
      lastLines.push(lastLine);
      lastPhase[phaseOf(lastLine)] = (lastPhase[phaseOf(lastLine)] ?? 0) + 1;
      const unknown = child.lines.find((l) => phaseOf(l) === 'unknown');
      if (plan.kind === 'fault' && unknown) unknownAtKill.push(unknown.split(' ')[1] ?? '');
    }
  } finally {
    for (const waiting of ahead) waiting.kill();
    await Promise.all(ahead.map((c) => c.exited));
  }
  return {
    kills: o.kills,
    faultRuns,
    unknownAtKill,
    unexpectedExits,
    lastPhase,
    lastLines,
    meanMs: { load: mean(times.load), ready: mean(times.ready), life: mean(times.life) },
  };
}
