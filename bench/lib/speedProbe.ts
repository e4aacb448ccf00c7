/**
 * How fast the machine runs right now. The machine the benchmarks run on alternates, minutes
 * apart, between two speeds about a half apart, and every CPU-bound figure moves with it; a fixed
 * piece of work timed next to a figure tells a reader which speed it was measured at.
 */

/** Iterations of {@link speedProbe}'s loop: about 130 ms at the machine's fast speed. */
const ROUNDS = 1_000_000;

/**
 * Milliseconds of a fixed loop of the work a replay does most: bigint multiplication, division
 * and the short-lived objects they make.
 */
export function speedProbe(): number {
  const started = performance.now();
  let x = 0n;
  for (let i = 0; i < ROUNDS; i++)
    x = (x + BigInt(i) * 12_345_678_901_234_567_890n) % 1_000_000_000_000_000_000_000_007n;
  const ms = performance.now() - started;
  // The result is used, so the loop cannot be dropped as dead code.
  if (x < 0n) throw new Error('unreachable');
  return ms;
}
