/**
 * The simulator as a process of its own, started by `startSimulatorProcess` with an IPC channel:
 * it waits for one start request, answers with its address, and ends when the parent says so
 * (SIGTERM, SIGINT) or goes away (the channel closes, e.g. after `kill -9` of the bot), so it
 * never outlives the bot that started it.
 */
import { SimClock } from './SimClock.js';
import { startSimulator } from './startSimulator.js';
import { startRequestSchema, type StartAnswer } from './processProtocol.js';
import type { SimulatorHandle } from './SimulatorHandle.js';

let sim: SimulatorHandle | undefined;
let ending = false;

function end(): void {
  if (ending) return;
  ending = true;
  const closed = sim ? sim.close() : Promise.resolve();
  void closed.finally(() => process.exit(0));
}

function answer(message: StartAnswer): void {
  process.send?.(message);
}

if (!process.send) {
  process.stderr.write('serve.ts runs as a child of the bot (with an IPC channel), not on its own\n');
  process.exit(2);
}
process.on('SIGTERM', end);
process.on('SIGINT', end);
process.on('disconnect', end);
process.once('message', (raw: unknown) => {
  const parsed = startRequestSchema.safeParse(raw);
  if (!parsed.success) {
    answer({ type: 'failed', message: `invalid start request: ${parsed.error.message}` });
    return;
  }
  const r = parsed.data;
  // The parent read its clock at anchor.wallMs; the same simulated time has moved on since by
  // the real time elapsed × speed (Date.now() is the one system clock both processes read).
  const clock = new SimClock({
    speed: r.speed,
    start: r.anchor.simMs + (Date.now() - r.anchor.wallMs) * r.speed,
  });
  startSimulator({
    seed: r.seed,
    speed: r.speed,
    clock,
    port: r.port,
    altcoins: r.altcoins,
    weightPer10s: r.weightPer10s,
    requestsPerSecond: r.requestsPerSecond,
    credentials: r.credentials,
  }).then(
    (handle) => {
      sim = handle;
      if (ending) void handle.close();
      else answer({ type: 'listening', url: handle.url, wsUrl: handle.wsUrl });
    },
    (error: unknown) =>
      answer({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
  );
});
