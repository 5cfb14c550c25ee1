import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ExotelClock } from '../jobs/exotel-clock';
import { ExotelScheduler } from '../jobs/exotel-scheduler';
import { logLine } from '../logging/log-line';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { OutboxRelay } from './outbox-relay';
import { OutboxStore } from './outbox-store';

const HOUR_MS = 3_600_000;

/**
 * Deletes outbox events once every target in use delivered them and `events.retentionHours`
 * passed. Undelivered events are never pruned.
 */
@Injectable()
export class OutboxPruner implements OnModuleInit {
  private readonly logger = new Logger(OutboxPruner.name);

  constructor(
    @InjectExotelOptions() private readonly options: ResolvedExotelOptions,
    private readonly scheduler: ExotelScheduler,
    private readonly store: OutboxStore,
    private readonly relay: OutboxRelay,
    private readonly clock: ExotelClock,
  ) {}

  onModuleInit(): void {
    const retentionMs = this.options.events.retentionHours * HOUR_MS;
    this.scheduler.register({
      name: 'exotel-outbox-prune',
      intervalMs: Math.min(HOUR_MS, Math.max(60_000, retentionMs / 4)),
      run: async () => {
        await this.prune();
      },
    });
  }

  /** Prunes now; resolves to the number of events deleted. */
  async prune(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - this.options.events.retentionHours * HOUR_MS);
    const removed = await this.store.prune(cutoff, this.relay.targets);
    if (removed > 0) this.logger.log(logLine('Pruned delivered outbox events', { removed, cutoff }));
    return removed;
  }
}
