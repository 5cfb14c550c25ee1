import { Injectable, Logger } from '@nestjs/common';
import { IsNull, LessThan, Not } from 'typeorm';
import { ExotelClient } from '../client/exotel-client';
import { EventPublisher } from '../events/event-publisher';
import { ExotelClock } from '../jobs/exotel-clock';
import { logLine } from '../logging/log-line';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { ExotelDatabase } from '../persistence/exotel-database';
import { completeFromDetails } from './call-completion';
import { applyDetails } from './call-details';
import { CallEntity } from './call.entity';
import { lockCall, writeCall } from './call-locks';
import { TERMINAL_STATUSES } from './call-record';
import { CallRecords } from './call-records.service';

/**
 * Placed calls that heard no terminal status callback for `calls.reconcile.silentAfterMs` (a lost
 * callback, or no status callback URL at all): looks each up with call details and settles it once
 * Exotel reports it finished, through the same `terminal` key a late callback would claim. One
 * still ringing or in progress is looked at again `silentAfterMs` later.
 */
@Injectable()
export class SilentCallSettler {
  private readonly logger = new Logger(SilentCallSettler.name);

  constructor(
    @InjectExotelOptions('calls') private readonly calls: ResolvedExotelOptions['calls'],
    private readonly client: ExotelClient,
    private readonly db: ExotelDatabase,
    private readonly events: EventPublisher,
    private readonly clock: ExotelClock,
    private readonly records: CallRecords,
  ) {}

  /** One batch; returns how many calls it completed. */
  async settle(): Promise<number> {
    const { silentAfterMs, batchSize } = this.calls.reconcile;
    const before = new Date(this.clock.now().getTime() - silentAfterMs);
    const silent = await this.db.read((manager) =>
      manager.find(CallEntity, {
        where: {
          origin: 'api',
          outcome: 'initiated',
          callSid: Not(IsNull()),
          endedAt: IsNull(),
          updatedAt: LessThan(before),
        },
        order: { updatedAt: 'ASC' },
        take: batchSize,
      }),
    );
    let settled = 0;
    for (const { id, callSid } of silent) {
      try {
        const details = await this.client.getCall(callSid!, { details: true });
        settled += await this.db.transaction(async (manager) => {
          const call = await lockCall(manager, this.db.dialect, { id });
          if (!call || call.endedAt || call.callSid !== details.Sid) return 0;
          const now = this.clock.now();
          let completed = null;
          if (TERMINAL_STATUSES.has(details.Status)) {
            applyDetails(call, details);
            completed = await completeFromDetails(manager, call, details, this.records.nextId(now), now);
          }
          call.updatedAt = now;
          await writeCall(manager, call);
          await this.events.publish(manager, completed ? [completed] : []);
          return completed ? 1 : 0;
        });
      } catch (error) {
        this.logger.warn(
          logLine('Call details of a silent call not read; tried again next run', { callId: id, err: error }),
        );
      }
    }
    return settled;
  }
}
