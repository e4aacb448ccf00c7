/**
 * A loopback HTTP gateway in front of the built-in simulator that fails as a real gateway in
 * front of MEXC does: it can hold every GET for a while (a slow exchange) and answer requests of
 * a method with a 5xx without passing them on (an outage of the order path). The MEXC client
 * talks real HTTP to it, signing included.
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The gateway and its failure switches. */
export interface SlowGateway {
  readonly url: string;
  /** Holds every GET this long before passing it on (0 ends it). */
  delayGets(ms: number): void;
  /** Answers every request of `method` with `status` without passing it on; undefined ends it. */
  failMethod(method: string, status: number | undefined): void;
  /** Requests answered with a failure, per method. */
  readonly failed: Map<string, number>;
  close(): Promise<void>;
}

/** Starts a gateway forwarding to `target`. */
export async function startSlowGateway(target: string): Promise<SlowGateway> {
  const upstream = new URL(target);
  let getDelayMs = 0;
  const failing = new Map<string, number>();
  const failed = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const status = failing.get(method);
      if (status !== undefined) {
        failed.set(method, (failed.get(method) ?? 0) + 1);
        res.writeHead(status, { 'content-type': 'text/html' });
        res.end('<html><body>Bad Gateway</body></html>');
        return;
      }
      const forward = () => {
        const out = request(
          {
            host: upstream.hostname,
            port: upstream.port,
            method,
            path: req.url,
            headers: { ...req.headers, host: upstream.host },
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        out.on('error', () => res.destroy());
        out.end(Buffer.concat(chunks));
      };
      if (method === 'GET' && getDelayMs > 0) setTimeout(forward, getDelayMs);
      else forward();
    });
    req.on('error', () => undefined);
    res.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    delayGets: (ms) => (getDelayMs = ms),
    failMethod: (method, status) => {
      if (status === undefined) failing.delete(method);
      else failing.set(method, status);
    },
    failed,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
