import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP proxy in front of the simulator that can reset a connection after the request went
 * through: the simulator placed the call, the client sees ECONNRESET instead of the answer. Which
 * requests get it is the caller's `decide` (a seeded draw), asked once per request.
 */
export class ResetAfterSendProxy {
  private server?: Server;
  /** Requests whose answer was replaced by a reset. */
  resets = 0;

  constructor(
    private readonly upstream: URL,
    private readonly decide: (method: string, path: string) => boolean,
  ) {}

  /** Listens on a free loopback port; resolves to its base URL. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const reset = this.decide(req.method ?? 'GET', req.url ?? '/');
    const outgoing = request(
      {
        host: this.upstream.hostname,
        port: this.upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: this.upstream.host },
      },
      (answer) => {
        if (reset) {
          this.resets += 1;
          answer.resume();
          req.socket.resetAndDestroy();
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    outgoing.on('error', () => req.socket.destroy());
    req.pipe(outgoing);
  }
}
