/**
 * The built-in simulator alone in its own process, as an external MEXC-compatible server for
 * `bench footprint` with `EXCHANGE=mexc` (no simulator inside the measured bot). Reads
 * SIM_PORT, SIM_API_KEY, SIM_API_SECRET and SIM_SPEED; prints `simulator listening on <url>`.
 */
import { startSimulator } from '../../src/exchange/simulator/index.js';

const sim = await startSimulator({
  seed: 1,
  speed: Number(process.env.SIM_SPEED ?? '1'),
  port: Number(process.env.SIM_PORT ?? '0'),
  credentials: {
    apiKey: process.env.SIM_API_KEY ?? 'bench-key',
    apiSecret: process.env.SIM_API_SECRET ?? 'bench-secret',
  },
});
process.stdout.write(`simulator listening on ${sim.url}\n`);
const stop = () => void sim.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
