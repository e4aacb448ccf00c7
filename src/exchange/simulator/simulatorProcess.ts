/**
 * The built-in simulator in a child process, so its market (candle rings of 300 altcoins, the
 * history generated at start, the matching) neither counts against the bot's memory nor blocks
 * the bot's event loop. `npm start` at zero configuration runs it so; tests that drive the market
 * through a {@link SimulatorHandle} run it in their own process with `startSimulator`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { siblingEntry } from '../../common/childEntry.js';
import { lowerPriority } from '../../common/childPriority.js';
import type { Clock } from '../../common/clock.js';
import { startAnswerSchema, type StartRequest } from './processProtocol.js';
import type { SimulatorHandle } from './SimulatorHandle.js';

/** What the bot needs of a simulator it talks to over the network: address, keys, and how to stop it. */
export type SimulatorEndpoint = Pick<SimulatorHandle, 'url' | 'wsUrl' | 'credentials' | 'close'>;

/** How to start the simulator process. */
export interface SimulatorProcessOptions {
  readonly seed: number;
  readonly speed: number;
  /** The parent's clock: the child's clock is set to show the same simulated time. */
  readonly clock: Clock;
  readonly port?: number;
  readonly altcoins?: number;
  readonly weightPer10s?: number;
  readonly requestsPerSecond?: number;
  /** Default: random ones, as `startSimulator` makes. */
  readonly credentials?: { readonly apiKey: string; readonly apiSecret: string };
  /** Node flags of the child (heap limits); under tsx the loader is added. */
  readonly nodeFlags?: readonly string[];
  /** Called when the child ends while the bot still uses it (a crash, a kill from outside). */
  readonly onUnexpectedExit?: (how: string) => void;
  /** Longest wait for the child to listen. */
  readonly startTimeoutMs?: number;
  /**
   * The child's scheduling priority (niceness: 19 lowest, 0 normal; see `lowerPriority`); default the
   * parent's. The simulator stands in for an exchange that lives on other machines, so its work
   * (candle history made on demand for a cold scan's 80 symbols) should wait while the bot needs
   * the CPU, and the bot's chat with it. The zero-config bot runs it at
   * `BACKGROUND_NICENESS` (`common/childPriority.ts`); tests leave it, as a simulator starved by a busy test run would
   * answer late.
   */
  readonly priority?: number;
}

const STOP_TIMEOUT_MS = 5_000;

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `exit code ${String(code)}`;
}

/** Starts the simulator in a child process; resolves once it listens. */
export async function startSimulatorProcess(
  o: SimulatorProcessOptions,
): Promise<SimulatorEndpoint & { readonly pid: number }> {
  const credentials = o.credentials ?? {
    apiKey: `mx0vgl${randomBytes(12).toString('hex')}`,
    apiSecret: randomBytes(16).toString('hex'),
  };
  const entry = siblingEntry(import.meta.url, 'serve');
  const child: ChildProcess = fork(entry.path, [], {
    execArgv: [...entry.execArgv, ...(o.nodeFlags ?? [])],
    // Credentials go over the IPC channel, never through argv or the environment.
    env: process.env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'json',
  });
  if (o.priority !== undefined && child.pid !== undefined) {
    // A failure is a fault (see lowerPriority), and the start fails with it rather than leave
    // the child behind.
    try {
      lowerPriority(child.pid, o.priority);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
  }
  let stopping = false;
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(describeExit(code, signal))),
  );

  const listening = new Promise<{ url: string; wsUrl: string }>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(`the simulator process did not listen within ${(o.startTimeoutMs ?? 60_000) / 1000} s`),
        ),
      o.startTimeoutMs ?? 60_000,
    );
    // A process that could not start reports it here, and the start request sent to it fails
    // again: every error is listened for, or the second would end the bot with no clear message.
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`the simulator process failed: ${error.message}`, { cause: error }));
    });
    child.once('message', (raw: unknown) => {
      clearTimeout(timer);
      const parsed = startAnswerSchema.safeParse(raw);
      if (!parsed.success)
        reject(new Error(`the simulator process answered something else: ${JSON.stringify(raw)}`));
      else if (parsed.data.type === 'failed')
        reject(new Error(`the simulator could not start: ${parsed.data.message}`));
      else resolve(parsed.data);
    });
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`the simulator process ended before it listened (${how})`));
    });
  });
  const request: StartRequest = {
    type: 'start',
    seed: o.seed,
    speed: o.speed,
    port: o.port,
    altcoins: o.altcoins,
    weightPer10s: o.weightPer10s,
    requestsPerSecond: o.requestsPerSecond,
    credentials,
    anchor: { simMs: o.clock.now(), wallMs: Date.now() },
  };
  child.send(request, (error) => {
    if (error) child.emit('error', error);
  });

  let address: { url: string; wsUrl: string };
  try {
    address = await listening;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  void exited.then((how) => {
    if (!stopping) o.onUnexpectedExit?.(how);
  });
  let closed: Promise<void> | undefined;
  return {
    pid: child.pid!,
    url: address.url,
    wsUrl: address.wsUrl,
    credentials,
    close: () =>
      (closed ??= (async () => {
        stopping = true;
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      })()),
  };
}
