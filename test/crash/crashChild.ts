/**
 * Parent-side handle of one crash-test child process (orderPlacer.child.ts under tsx): its
 * stdout lines as they arrive, a gate that holds the child after its modules load until `go()`,
 * SIGKILL, and how it ended. Pre-spawning the next child while the current one trades hides the
 * tsx start-up time without ever running two bots on the database: a held child has not opened it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./orderPlacer.child.ts', import.meta.url));

export interface ChildEnv {
  readonly dbPath: string;
  readonly url: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly seed: number;
  readonly mode: 'place' | 'reconcile';
}

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export class CrashChild {
  readonly lines: string[] = [];
  readonly exited: Promise<ChildExit>;
  readonly #proc: ChildProcess;
  readonly #listeners = new Set<(line: string) => void>();
  #stderr = '';
  #killedAt: number | undefined;

  constructor(env: ChildEnv) {
    this.#proc = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        CRASH_DB: env.dbPath,
        CRASH_URL: env.url,
        CRASH_API_KEY: env.apiKey,
        CRASH_API_SECRET: env.apiSecret,
        CRASH_SEED: String(env.seed),
        CRASH_MODE: env.mode,
        CRASH_WAIT_GO: '1',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) => {
      this.#proc.once('exit', (code, signal) => resolve({ code, signal }));
    });
    createInterface({ input: this.#proc.stdout! }).on('line', (line) => {
      this.lines.push(line);
      for (const listener of this.#listeners) listener(line);
    });
    this.#proc.stderr!.on('data', (chunk: Buffer) => {
      // Keep the tail only: enough to explain an unexpected exit.
      this.#stderr = (this.#stderr + chunk.toString('utf8')).slice(-4_000);
    });
    this.#proc.stdin!.on('error', () => undefined);
  }

  get pid(): number {
    return this.#proc.pid ?? -1;
  }

  get stderrTail(): string {
    return this.#stderr;
  }

  /** Whether the parent killed it. */
  get killed(): boolean {
    return this.#killedAt !== undefined;
  }

  /** Calls `listener` on every later line; returns the unsubscribe function. */
  onLine(listener: (line: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves true at the first line (seen before or later) matching `test`, false after `timeoutMs`. */
  waitFor(test: (line: string) => boolean, timeoutMs: number): Promise<boolean> {
    if (this.lines.some(test)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (value: boolean) => {
        clearTimeout(timer);
        off();
        resolve(value);
      };
      const off = this.onLine((line) => {
        if (test(line)) done(true);
      });
      const timer = setTimeout(() => done(false), timeoutMs);
      void this.exited.then(() => done(this.lines.some(test)));
    });
  }

  /** Lets a held child open the database and start. */
  go(): void {
    this.#proc.stdin!.write('go\n');
  }

  /** SIGKILL now (no-op once it has exited). */
  kill(): void {
    if (this.#proc.exitCode !== null || this.#proc.signalCode !== null) return;
    this.#killedAt ??= Date.now();
    process.kill(this.pid, 'SIGKILL');
  }
}
