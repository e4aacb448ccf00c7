/**
 * A tiny loopback HTTP server standing in for MEXC in adapter tests: records every request
 * exactly as received (raw query string included) and answers from a test-supplied handler.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  /** The query string exactly as received, without `?`. */
  readonly rawQuery: string;
  readonly params: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export type FakeReply =
  | {
      readonly status?: number;
      /** Objects are sent as JSON; strings as they are. */
      readonly body?: unknown;
      readonly headers?: Readonly<Record<string, string>>;
    }
  | { readonly hang: true };

export type FakeHandler = (request: RecordedRequest) => FakeReply | Promise<FakeReply>;

export interface FakeMexcServer {
  readonly baseUrl: string;
  readonly requests: RecordedRequest[];
  /** Requests to one "METHOD /path". */
  count(route: string): number;
  setHandler(handler: FakeHandler): void;
  close(): Promise<void>;
}

/** Routes by "METHOD /path"; unknown routes answer 404 with a MEXC-style body. */
export function routes(table: Readonly<Record<string, FakeHandler | FakeReply>>): FakeHandler {
  return (request) => {
    const entry = table[`${request.method} ${request.path}`];
    if (entry === undefined) return { status: 404, body: { code: 404, msg: `no route ${request.path}` } };
    return typeof entry === 'function' ? entry(request) : entry;
  };
}

export async function startFakeMexc(initial: FakeHandler): Promise<FakeMexcServer> {
  let handler = initial;
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: q < 0 ? url : url.slice(0, q),
        rawQuery: q < 0 ? '' : url.slice(q + 1),
        params: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      void Promise.resolve(handler(recorded)).then((reply) => {
        if ('hang' in reply) return; // never answer: the client must time out
        const body =
          reply.body === undefined
            ? ''
            : typeof reply.body === 'string'
              ? reply.body
              : JSON.stringify(reply.body);
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
        res.end(body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    count: (route) => requests.filter((r) => `${r.method} ${r.path}` === route).length,
    setHandler: (next) => {
      handler = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
