/**
 * The messages between a bot and the simulator it runs in a child process
 * (`simulatorProcess.ts` starts it, `serve.ts` is the child): one start request, one answer.
 */
import { z } from 'zod';

/**
 * What the child needs to start the simulator: the serializable simulator options plus the clock
 * anchor, a simulated instant and the wall-clock time it was read at, so the child's clock shows
 * the same simulated time as the parent's although it starts later.
 */
export const startRequestSchema = z.object({
  type: z.literal('start'),
  seed: z.number().int(),
  speed: z.number().positive(),
  port: z.number().int().min(0).max(65_535).optional(),
  altcoins: z.number().int().min(0).optional(),
  weightPer10s: z.number().int().positive().optional(),
  requestsPerSecond: z.number().int().positive().optional(),
  credentials: z.object({ apiKey: z.string().min(1), apiSecret: z.string().min(1) }),
  anchor: z.object({ simMs: z.number(), wallMs: z.number() }),
});

/** The start request the parent sends once the child is up. */
export type StartRequest = z.infer<typeof startRequestSchema>;

/** The child's answer: where it listens, or why it could not start. */
export const startAnswerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('listening'), url: z.string(), wsUrl: z.string() }),
  z.object({ type: z.literal('failed'), message: z.string() }),
]);

/** The child's answer to a {@link StartRequest}. */
export type StartAnswer = z.infer<typeof startAnswerSchema>;
