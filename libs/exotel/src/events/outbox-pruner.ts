import { Injectable, Logger } from '@nestjs/common';
import { ExotelClock } from '../jobs/exotel-clock';
import { ExotelJob } from '../jobs/exotel-job.decorator';
import { logLine } from '../logging/log-line';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { OutboxRelay } from './outbox-relay';
import { OutboxStore } from './outbox-store';

const HOUR_MS = 3_600_000;

/** Name of the outbox pruning job. */
const OUTBOX_PRUNE_JOB = 'exotel.events.outbox-prune';

/**
 * Deletes outbox events once every target in use delivered them and `events.retentionHours`
 * passed. Undelivered events are never pruned.
 */
@Injectable()
export class OutboxPruner {
  private readonly logger = new Logger(OutboxPruner.name);

  constructor(
    @InjectExotelOptions('events') private readonly events: ResolvedExotelOptions['events'],
    private readonly store: OutboxStore,
    private readonly relay: OutboxRelay,
    private readonly clock: ExotelClock,
  ) {}

  /** Prunes now; resolves to the number of events deleted. */
  @ExotelJob({
    name: OUTBOX_PRUNE_JOB,
    intervalMs: (options) =>
      Math.min(HOUR_MS, Math.max(60_000, (options.events.retentionHours * HOUR_MS) / 4)),
  })
  async prune(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - this.events.retentionHours * HOUR_MS);
    const removed = await this.store.prune(cutoff, this.relay.targets);
    if (removed > 0) this.logger.log(logLine('Pruned delivered outbox events', { removed, cutoff }));
    return removed;
  }
}
