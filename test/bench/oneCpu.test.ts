import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { nodeCommand, oneCpuPrefix } from '../../bench/lib/oneCpu.js';

describe("the benchmarks' one-CPU runs", () => {
  it('start a child that may run on exactly one CPU, the one named', () => {
    const before = availableParallelism();
    const pin = oneCpuPrefix();
    if (!pin.ok) {
      // Only where pinning cannot work, and then with the reason.
      expect(process.platform !== 'linux' || /taskset|Cpus_allowed/.test(pin.why)).toBe(true);
      return;
    }
    expect(pin.args).toEqual(['-c', String(pin.cpu)]);
    expect(nodeCommand(['-v'])).toEqual({ command: process.execPath, args: ['-v'] });
    const run = nodeCommand(
      [
        '-e',
        "const os = require('node:os'); const status = require('node:fs').readFileSync('/proc/self/status', 'utf8');" +
          'process.stdout.write(JSON.stringify([os.availableParallelism(), /^Cpus_allowed_list:\\s*(\\S+)/m.exec(status)[1]]))',
      ],
      pin,
    );
    const seen = execFileSync(run.command, run.args, { encoding: 'utf8' });
    expect(JSON.parse(seen)).toEqual([1, String(pin.cpu)]);
    // The benchmark itself keeps every CPU it had.
    expect(availableParallelism()).toBe(before);
  });
});
