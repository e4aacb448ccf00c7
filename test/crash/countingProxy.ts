/**
 * A loopback HTTP proxy in front of the simulator that records every order POST per
 * `newClientOrderId`, with the status the simulator answered. The simulator refuses a second
 * order with a used client id, so only the wire shows whether the bot ever SENT one again after
 * an outcome that may have been an executed order (resolve by client id, never by sending
 * again).
 */
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One order POST as the exchange saw it; `status` stays undefined until (unless) it answers. */
export interface OrderPost {
  status?: number;
}

export interface CountingProxy {
  readonly url: string;
  /** The POST /api/v3/order requests of each client order id, in arrival order. */
  readonly posts: ReadonlyMap<string, readonly OrderPost[]>;
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
  const posts = new Map<string, OrderPost[]>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let post: OrderPost | undefined;
      if (req.method === 'POST' && (req.url ?? '').startsWith('/api/v3/order?')) {
        const cid = clientIdOf(req, body.toString('utf8')) ?? '(none)';
        post = {};
        posts.set(cid, [...(posts.get(cid) ?? []), post]);
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
          if (post) post.status = answer.statusCode;
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
