/**
 * A loopback HTTP proxy in front of the simulator that counts order POSTs per `newClientOrderId`
 * as they arrive on the wire. The simulator refuses a second order with a used client id, so
 * only the wire shows whether the bot ever SENT one twice (§3.5: resolve by client id, never by
 * sending again).
 */
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CountingProxy {
  readonly url: string;
  /** How many POST /api/v3/order requests carried each client order id. */
  readonly posts: ReadonlyMap<string, number>;
  close(): Promise<void>;
}

function clientIdOf(req: IncomingMessage, body: string): string | undefined {
  const url = new URL(req.url ?? '/', 'http://proxy');
  return (
    url.searchParams.get('newClientOrderId') ?? new URLSearchParams(body).get('newClientOrderId') ?? undefined
  );
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const posts = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.method === 'POST' && (req.url ?? '').startsWith('/api/v3/order?')) {
        const cid = clientIdOf(req, body.toString('utf8')) ?? '(none)';
        posts.set(cid, (posts.get(cid) ?? 0) + 1);
      }
      const out = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      // A killed client only loses its answer; the request still reaches the exchange, as on a real network.
      out.on('error', () => res.destroy());
      out.end(body);
    });
    req.on('error', () => undefined);
    res.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    posts,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
