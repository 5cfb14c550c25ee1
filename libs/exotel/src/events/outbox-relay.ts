import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { ExotelClock } from '../jobs/exotel-clock';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { ExotelDatabase } from '../persistence/exotel-database';
import { ExotelEventHandlers } from './exotel-event-handlers';
import { toEnvelope } from './outbox-event-publisher';
import { OutboxEventEntity } from './outbox-event.entity';

const BATCH_SIZE = 200;
const POLL_INTERVAL_MS = 250;

/**
 * Delivers committed outbox events to in-process handlers, in insertion order. It polls, and is
 * nudged after every commit so new events go out at once. A handler that throws is logged and does
 * not hold back the other handlers or later events.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private again = false;
  private stopped = true;
  private unsubscribe?: () => void;

  constructor(
    @InjectExotelOptions() private readonly options: ResolvedExotelOptions,
    private readonly db: ExotelDatabase,
    private readonly handlers: ExotelEventHandlers,
    private readonly clock: ExotelClock,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.options.jobs.enabled) return;
    this.stopped = false;
    this.unsubscribe = this.db.onCommit(() => this.nudge());
    this.nudge();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    clearTimeout(this.timer);
    await this.running;
  }

  /** Delivers everything pending now; resolves to the number of events delivered. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const delivered = await this.deliverBatch();
      total += delivered;
      if (delivered < BATCH_SIZE) return total;
    }
  }

  private nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.drain()
      .catch((error: unknown) => {
        this.logger.error(
          { err: error instanceof Error ? error.message : String(error) },
          'Outbox relay pass failed',
        );
        return 0;
      })
      .finally(() => {
        this.running = undefined;
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          this.nudge();
        } else {
          this.timer = setTimeout(() => this.nudge(), POLL_INTERVAL_MS);
          this.timer.unref();
        }
      });
  }

  private async deliverBatch(): Promise<number> {
    const rows = await this.db.read((manager) =>
      manager.find(OutboxEventEntity, {
        where: { dispatchedAt: IsNull() },
        order: { position: 'ASC' },
        take: BATCH_SIZE,
      }),
    );
    for (const row of rows) {
      const event = toEnvelope(row);
      for (const handler of this.handlers.handlersFor(event.type)) {
        try {
          await handler.handle(event);
        } catch (error) {
          this.logger.error(
            {
              handler: handler.name,
              eventId: event.id,
              type: event.type,
              err: error instanceof Error ? error.message : String(error),
            },
            'Event handler failed',
          );
        }
      }
      await this.db.transaction((manager) =>
        manager.update(OutboxEventEntity, { position: row.position }, { dispatchedAt: this.clock.now() }),
      );
    }
    return rows.length;
  }
}
