import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Settings of a simulator instance. */
export interface ExotelSimulatorOptions {
  /** Account SID the simulator serves. @default 'sim-account' */
  accountSid?: string;
  /** API key it accepts. @default 'sim-key' */
  apiKey?: string;
  /** API token it accepts. @default 'sim-token' */
  apiToken?: string;
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
}

/**
 * A local stand-in for Exotel's API, listening on loopback. This first version authenticates
 * requests and answers every route with Exotel's 404 `RestException`; the simulator issue fills in
 * the API, the call lifecycle, the heartbeat emitter and fault injection.
 */
export class ExotelSimulator {
  readonly accountSid: string;
  readonly apiKey: string;
  readonly apiToken: string;
  private server?: Server;
  private url?: string;

  constructor(private readonly options: ExotelSimulatorOptions = {}) {
    this.accountSid = options.accountSid ?? 'sim-account';
    this.apiKey = options.apiKey ?? 'sim-key';
    this.apiToken = options.apiToken ?? 'sim-token';
  }

  /** Base URL once started, e.g. `http://127.0.0.1:41235`. */
  get baseUrl(): string {
    if (!this.url) throw new Error('The simulator is not started');
    return this.url;
  }

  /** Starts listening; resolves to the base URL. */
  async start(): Promise<string> {
    const server = createServer((request, response) => this.handle(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', resolve);
    });
    this.server = server;
    const { address, port } = server.address() as AddressInfo;
    this.url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
    return this.url;
  }

  /** Stops listening and closes open connections. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const expected = `Basic ${Buffer.from(`${this.apiKey}:${this.apiToken}`).toString('base64')}`;
    if (request.headers.authorization !== expected) {
      this.send(response, 401, {
        RestException: { Status: 401, Message: 'Authentication is required to view this resource.' },
      });
      return;
    }
    this.send(response, 404, {
      RestException: { Status: 404, Message: 'The requested resource was not found' },
    });
  }

  private send(response: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
    });
    response.end(text);
  }
}
