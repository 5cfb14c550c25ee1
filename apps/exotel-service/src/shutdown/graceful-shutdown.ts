import { ExotelShutdown } from 'nestjs-exotel';
import type { INestApplication } from '@nestjs/common';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Logger as Pino } from 'pino';

/** How the service stops on SIGTERM/SIGINT (`SHUTDOWN_GRACE_MS`, `SHUTDOWN_DELAY_MS`). */
export interface GracefulShutdownSettings {
  /** Everything is done within this, or the process exits anyway (non-zero). */
  readonly graceMs: number;
  /** New connections are still taken this long after the signal, while load balancers notice. */
  readonly delayMs: number;
}

/** What the shutdown did, for its log line. */
export interface ShutdownReport {
  readonly signal: string;
  /** Requests that were answered after the signal. */
  readonly answered: number;
  /** Requests still unanswered when the drain time ran out (their connections were closed). */
  readonly cut: number;
  readonly ms: number;
}

// Of the grace, what is left for the application's own close (the outbox relay's drain, the
// database) once HTTP has drained: a fifth, at most 5 s.
const closeReserveMs = (graceMs: number) => Math.min(5_000, Math.floor(graceMs / 5));

/**
 * Graceful shutdown of the service's HTTP server and application, in this order:
 *
 * 1. `ExotelShutdown.begin()`: `/health/ready` answers 503 (`shutting down`), the background jobs stop
 *    and their passes in flight are abandoned, their leases released;
 * 2. for `delayMs`, connections are still accepted (every answer says `Connection: close`);
 * 3. the listener closes: new connections are refused, idle keep-alive connections are closed, and
 *    each connection closes once its request in flight is answered (`Connection: close`);
 * 4. when the last request is answered, or when the drain time runs out (the grace less a fifth, at
 *    most 5 s, kept for the next step), the remaining connections are closed and the application
 *    closes (Nest's shutdown hooks: calls in flight recorded, the outbox relay, the database);
 * 5. the process exits, 0; or 1 if the grace ran out first.
 *
 * Install it before `listen()` (it counts requests from the first one). Replaces Nest's
 * `enableShutdownHooks()`, whose shutdown destroys the sockets in flight (`forceCloseConnections`)
 * or, without it, waits for every keep-alive connection to time out.
 */
export class GracefulShutdown {
  private readonly inFlight = new Set<ServerResponse>();
  private readonly beginListeners: (() => void)[] = [];
  private answered = 0;
  private draining = false;
  private stopping?: Promise<ShutdownReport>;
  private readonly onSignal = (signal: NodeJS.Signals) => {
    void this.shutdown(signal).then(
      () => this.exit(0),
      (error: unknown) => {
        this.log.error({ err: error }, 'exotel-service: shutdown failed');
        this.exit(1);
      },
    );
  };

  constructor(
    private readonly app: INestApplication,
    private readonly settings: GracefulShutdownSettings,
    private readonly log: Pino,
    private readonly exit: (code: number) => void = (code) => process.exit(code),
  ) {
    this.server.on('request', (_request: IncomingMessage, response: ServerResponse) => this.track(response));
  }

  /** Listens for SIGTERM and SIGINT. */
  listen(): this {
    process.once('SIGTERM', this.onSignal);
    process.once('SIGINT', this.onSignal);
    return this;
  }

  /** Calls `listener` when the shutdown begins (to stop traffic the process makes itself). */
  onBegin(listener: () => void): this {
    this.beginListeners.push(listener);
    return this;
  }

  /** Runs the shutdown once (later calls share it); resolves when the application is closed. */
  shutdown(signal = 'SIGTERM'): Promise<ShutdownReport> {
    this.stopping ??= this.run(signal);
    return this.stopping;
  }

  private get server(): Server {
    return this.app.getHttpServer() as Server;
  }

  private track(response: ServerResponse): void {
    if (this.draining) response.setHeader('Connection', 'close');
    this.inFlight.add(response);
    response.once('close', () => {
      this.inFlight.delete(response);
      if (!this.draining) return;
      this.answered++;
      // The connection it came on may now be idle (its answer's headers went out before the signal).
      this.server.closeIdleConnections();
    });
  }

  private async run(signal: string): Promise<ShutdownReport> {
    const started = Date.now();
    const { graceMs, delayMs } = this.settings;
    const overdue = setTimeout(() => {
      this.log.error(
        { signal, graceMs, inFlight: this.inFlight.size },
        'exotel-service: shutdown outran its grace; exiting',
      );
      this.exit(1);
    }, graceMs);
    overdue.unref();
    this.log.info(
      { signal, graceMs, delayMs, inFlight: this.inFlight.size },
      `exotel-service: ${signal} received, shutting down within ${graceMs} ms`,
    );
    this.app.get(ExotelShutdown).begin();
    for (const listener of this.beginListeners) listener();
    this.draining = true;
    for (const response of this.inFlight) {
      if (!response.headersSent) response.setHeader('Connection', 'close');
    }
    if (delayMs > 0) await sleep(delayMs);
    const server = this.server;
    server.close();
    server.closeIdleConnections();
    await this.drained(started + graceMs - closeReserveMs(graceMs));
    const cut = this.inFlight.size;
    if (cut > 0)
      this.log.warn(
        { cut },
        'exotel-service: requests still unanswered at the end of the drain; closing their connections',
      );
    server.closeAllConnections();
    await this.app.close();
    clearTimeout(overdue);
    const report = { signal, answered: this.answered, cut, ms: Date.now() - started };
    this.log.info(report, `exotel-service: shut down in ${report.ms} ms`);
    return report;
  }

  private async drained(deadline: number): Promise<void> {
    while (this.inFlight.size > 0 && Date.now() < deadline) {
      await Promise.race([
        Promise.allSettled([...this.inFlight].map((response) => closed(response))),
        sleep(Math.max(0, deadline - Date.now())),
      ]);
    }
  }
}

function closed(response: ServerResponse): Promise<void> {
  return response.closed
    ? Promise.resolve()
    : new Promise((resolve) => response.once('close', () => resolve()));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
