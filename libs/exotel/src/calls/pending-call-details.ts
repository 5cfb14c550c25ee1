import { Injectable, Logger } from '@nestjs/common';
import { ExotelApiError } from '../errors/exotel-api.error';
import { ExotelClock } from '../jobs/exotel-clock';
import { logLine } from '../logging/log-line';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { ExotelDatabase } from '../persistence/exotel-database';
import { CallDetails } from './call-details';
import { CallEntity } from './call.entity';

/**
 * Reads the details (recording, duration, price) of finished calls still missing them, and stops
 * asking once `calls.reconcile.giveUpAfterMs` has passed since the call ended, or at once for a
 * call we did not place that Exotel's call-details API does not know.
 */
@Injectable()
export class PendingCallDetails {
  private readonly logger = new Logger(PendingCallDetails.name);

  constructor(
    @InjectExotelOptions('calls') private readonly calls: ResolvedExotelOptions['calls'],
    private readonly db: ExotelDatabase,
    private readonly clock: ExotelClock,
    private readonly details: CallDetails,
  ) {}

  /** One batch; returns how many calls' details it read. */
  async read(): Promise<number> {
    const now = this.clock.now();
    const pending = await this.db.read((manager) =>
      manager.find(CallEntity, {
        where: { detailsPending: true },
        order: { endedAt: 'ASC' },
        take: this.calls.reconcile.batchSize,
      }),
    );
    let read = 0;
    for (const call of pending) {
      const expired =
        now.getTime() - (call.endedAt ?? call.updatedAt).getTime() > this.calls.reconcile.giveUpAfterMs;
      try {
        if (await this.details.fetch(call.id)) read++;
        else if (expired) await this.stopWaiting(call.id);
      } catch (error) {
        // A call we did not place (inbound, first seen in a callback) that Exotel's call-details
        // API does not know: its details are best-effort, so stop asking rather than warn for hours.
        const unknownInbound =
          call.origin === 'callback' && error instanceof ExotelApiError && error.status === 404;
        if (expired || unknownInbound) await this.stopWaiting(call.id);
        this.logger.warn(
          logLine(
            unknownInbound
              ? 'Call details not found for a call we did not place; not asking again'
              : 'Call details not read',
            { callId: call.id, err: error },
          ),
        );
      }
    }
    return read;
  }

  private async stopWaiting(id: string): Promise<void> {
    await this.db.transaction((manager) => manager.update(CallEntity, { id }, { detailsPending: false }));
  }
}
