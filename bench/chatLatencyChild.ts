/**
 * Child process of the chat-latency benchmark: measures (see `chatLatency.ts`) under the V8 flags
 * it was started with (`npm start`'s) and writes the result as JSON to the file named by its one
 * argument.
 */
import { writeFileSync } from 'node:fs';
import { measureChatLatency } from './chatLatency.js';

const [out] = process.argv.slice(2);
if (out === undefined) throw new Error('usage: chatLatencyChild <result file>');
const result = await measureChatLatency();
writeFileSync(out, JSON.stringify(result));
// Every session was closed; a handle left open by a library must not keep the benchmark waiting.
process.exit(0);
