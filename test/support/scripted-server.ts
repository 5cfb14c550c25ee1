import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the scripted server saw it. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly at: number;
}

/** What to do with one request: answer, or hold it without answering. */
export type Script = (
  request: SeenRequest,
  index: number,
) => { status: number; body?: unknown; headers?: Record<string, string> } | 'hang';

/**
 * A loopback HTTP server that answers according to a script and records every request; for
 * exercising the client's handling of exact HTTP answers (the simulator covers realistic flows).
 */
export class ScriptedServer {
  readonly requests: SeenRequest[] = [];
  private server?: Server;
  private readonly hanging = new Set<ServerResponse>();

  constructor(private script: Script) {}

  get url(): string {
    const address = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  use(script: Script): void {
    this.script = script;
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const seen: SeenRequest = {
          method: request.method ?? 'GET',
          url: request.url ?? '/',
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
        };
        this.requests.push(seen);
        const answer = this.script(seen, this.requests.length - 1);
        if (answer === 'hang') {
          this.hanging.add(response);
          return;
        }
        const text =
          answer.body === undefined
            ? ''
            : typeof answer.body === 'string'
              ? answer.body
              : JSON.stringify(answer.body);
        response.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
        response.end(text);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
