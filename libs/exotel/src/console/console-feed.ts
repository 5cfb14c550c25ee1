import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import { ExotelShutdown } from '../health/exotel-shutdown';
import { logLine } from '../logging/log-line';
import { ExotelDatabase } from '../persistence/exotel-database';
import { ConsoleViews } from './console-views';
import { OutboxTail, type TailedEvent } from './outbox-tail';

/** How often the outbox is read while a console is connected (local commits read it at once). */
const POLL_MS = 500;
/** How often the heartbeat's age and the outbox's backlog are sent. */
const PULSE_MS = 5_000;
/** Messages kept for a console that reconnects (`Last-Event-ID`). */
const REPLAY = 2_000;
/** More ExoPhone changes than this in one read are sent as one `console.fleet_changed`. */
const FLEET_BURST = 200;
/** A console this far behind (bytes not yet sent) is disconnected; it reconnects and reloads. */
const MAX_BACKLOG_BYTES = 4 * 1024 * 1024;

interface Frame {
  readonly seq: number;
  readonly text: string;
}

/**
 * The console's server-sent events. While at least one console is connected, the outbox is
 * tailed (`OutboxTail`: every replica reads what every replica commits) and each event is sent to
 * every console as `event: exotel` with `{ type, subject, time, data }`. Messages carry ids
 * (`<epoch>.<n>`): a console that reconnects gets what it missed from the last `REPLAY` messages,
 * or `ready` with `replayed: false` when they are gone (it reloads what it shows). `pulse` carries
 * the heartbeat's age and the outbox's backlog, which change without events.
 */
@Injectable()
export class ConsoleFeed implements OnApplicationShutdown {
  private readonly logger = new Logger(ConsoleFeed.name);
  private readonly clients = new Set<Response>();
  private readonly frames: Frame[] = [];
  private epoch = '';
  private seq = 0;
  private tail?: OutboxTail;
  private starting?: Promise<void>;
  private reading?: Promise<void>;
  private again = false;
  private failures = 0;
  private pollTimer?: NodeJS.Timeout;
  private pulseTimer?: NodeJS.Timeout;
  private stopCommits?: () => void;

  constructor(
    private readonly db: ExotelDatabase,
    private readonly views: ConsoleViews,
    private readonly shutdown: ExotelShutdown,
  ) {
    // Streams never end by themselves: once shutdown begins they are ended (the consoles reconnect
    // to another replica), so they hold up no graceful shutdown.
    shutdown.signal.addEventListener('abort', () => this.closeAll());
  }

  /** Consoles connected to this replica. */
  get connected(): number {
    return this.clients.size;
  }

  /** Streams events to one console until it disconnects. */
  async attach(request: Request, response: Response): Promise<void> {
    if (this.shutdown.shuttingDown) {
      response.status(503).set('Retry-After', '1').end();
      return;
    }
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store, no-transform',
      Connection: 'keep-alive',
      // Proxies (nginx) would otherwise buffer the stream.
      'X-Accel-Buffering': 'no',
    });
    response.write('retry: 1000\n\n');
    this.clients.add(response);
    request.on('close', () => this.detach(response));
    await this.start();
    if (response.writableEnded) return;
    const replayed = this.replay(response, request.header('last-event-id'));
    response.write(this.text('ready', { replayed }, `${this.epoch}.${this.seq}`));
    response.write(this.text('pulse', await this.views.pulse().catch(() => null)));
  }

  /** Ends every stream (the consoles reconnect); for shutdown and tests. */
  closeAll(): void {
    for (const client of [...this.clients]) {
      client.end();
      this.detach(client);
    }
  }

  onApplicationShutdown(): void {
    this.closeAll();
  }

  private detach(response: Response): void {
    this.clients.delete(response);
    if (this.clients.size === 0) this.stop();
  }

  private start(): Promise<void> {
    if (this.tail) return this.starting ?? Promise.resolve();
    // A fresh epoch: the messages of an earlier tail cannot be replayed.
    this.epoch = randomBytes(6).toString('base64url');
    this.seq = 0;
    this.frames.length = 0;
    const tail = new OutboxTail(this.db, { batchSize: 500, holeWaitMs: 30_000, maxHoles: 5_000 });
    this.tail = tail;
    this.stopCommits = this.db.onCommit(() => this.nudge());
    this.pulseTimer = setInterval(() => void this.sendPulse(), PULSE_MS);
    this.pulseTimer.unref();
    this.starting = tail.next().then(
      () => {
        this.starting = undefined;
        this.schedule(POLL_MS);
      },
      (error: unknown) => {
        this.starting = undefined;
        this.failed(error);
      },
    );
    return this.starting;
  }

  private stop(): void {
    this.tail = undefined;
    this.stopCommits?.();
    clearTimeout(this.pollTimer);
    clearInterval(this.pulseTimer);
  }

  private nudge(): void {
    if (!this.tail || this.starting) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    if (this.failures === 0) this.read();
  }

  private read(): void {
    const tail = this.tail;
    if (!tail) return;
    clearTimeout(this.pollTimer);
    this.reading = tail
      .next()
      .then((events) => {
        this.reading = undefined;
        if (tail !== this.tail) return;
        this.failures = 0;
        this.broadcast(events);
        if (tail.full(events)) this.again = true;
        if (this.again) {
          this.again = false;
          this.read();
        } else this.schedule(POLL_MS);
      })
      .catch((error: unknown) => {
        this.reading = undefined;
        if (tail === this.tail) this.failed(error);
      });
  }

  private failed(error: unknown): void {
    this.failures++;
    this.logger.warn(logLine('Console feed could not read the outbox; retrying', { err: error }));
    this.schedule(Math.min(30_000, 500 * 2 ** Math.min(this.failures, 6)));
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.pollTimer);
    if (!this.tail) return;
    this.pollTimer = setTimeout(() => this.read(), delayMs);
    this.pollTimer.unref();
  }

  private broadcast(events: readonly TailedEvent[]): void {
    if (events.length === 0) return;
    const fleet = events.filter((e) => e.type === 'exophone.health_changed');
    const burst = fleet.length > FLEET_BURST;
    const sent = burst ? events.filter((e) => e.type !== 'exophone.health_changed') : events;
    const messages = sent.map(({ type, subject, time, data }) => ({ type, subject, time, data }));
    if (burst)
      messages.push({ type: 'console.fleet_changed', subject: '', time: '', data: { count: fleet.length } });
    for (const message of messages) {
      this.seq++;
      const frame = { seq: this.seq, text: this.text('exotel', message, `${this.epoch}.${this.seq}`) };
      this.frames.push(frame);
      if (this.frames.length > REPLAY) this.frames.shift();
      this.send(frame.text);
    }
  }

  private async sendPulse(): Promise<void> {
    try {
      this.send(this.text('pulse', await this.views.pulse()));
    } catch (error) {
      this.logger.warn(logLine('Console pulse could not be read', { err: error }));
    }
  }

  private send(text: string): void {
    for (const client of this.clients) {
      client.write(text);
      if (client.writableLength > MAX_BACKLOG_BYTES) {
        client.end();
        this.detach(client);
      }
    }
  }

  /** Writes the messages after `lastEventId`; false when they are no longer all here. */
  private replay(response: Response, lastEventId: string | undefined): boolean {
    const [epoch, n] = (lastEventId ?? '').split('.');
    const after = Number(n);
    if (epoch !== this.epoch || !Number.isInteger(after) || after > this.seq) return false;
    const oldest = this.frames[0]?.seq ?? this.seq + 1;
    if (after < oldest - 1) return false;
    for (const frame of this.frames) if (frame.seq > after) response.write(frame.text);
    return true;
  }

  private text(event: string, data: unknown, id?: string): string {
    return `${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
  }
}
