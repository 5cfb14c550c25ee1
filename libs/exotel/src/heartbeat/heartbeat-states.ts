import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventPublisher } from '../events/event-publisher';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { HeartbeatStateEntity } from './heartbeat-state.entity';

/** The account's heartbeat state row: created on first use, and told when heartbeats arrive. */
@Injectable()
export class HeartbeatStates {
  private readonly logger = new Logger(HeartbeatStates.name);

  constructor(
    @InjectExotelOptions('credentials') private readonly credentials: ResolvedExotelOptions['credentials'],
    private readonly events: EventPublisher,
  ) {}

  /** Heartbeats arrive: ends a missed episode (once, whichever replica sees it first). */
  async noteArrival(manager: EntityManager, now: Date): Promise<void> {
    const state = await this.get(manager);
    if (state.missedSince) {
      const ended = await manager
        .createQueryBuilder()
        .update(HeartbeatStateEntity)
        .set({ missedSince: null, lastReceivedAt: now })
        .where('account_sid = :account AND missed_since IS NOT NULL', {
          account: this.credentials.accountSid,
        })
        .execute();
      if ((ended.affected ?? 0) > 0) {
        const since = state.lastReceivedAt ?? state.missedSince;
        await this.events.publish(manager, {
          type: 'heartbeat.restored',
          subject: this.credentials.accountSid,
          data: {
            heartbeatAt: now.toISOString(),
            silentForSeconds: Math.max(0, (now.getTime() - since.getTime()) / 1000),
          },
        });
        this.logger.log('Heartbeats arrive again');
        return;
      }
    }
    await manager.update(
      HeartbeatStateEntity,
      { accountSid: this.credentials.accountSid },
      { lastReceivedAt: now },
    );
  }

  /** The account's state row, created on first use. */
  async get(manager: EntityManager): Promise<HeartbeatStateEntity> {
    const existing = await manager.findOneBy(HeartbeatStateEntity, {
      accountSid: this.credentials.accountSid,
    });
    if (existing) return existing;
    await manager
      .createQueryBuilder()
      .insert()
      .into(HeartbeatStateEntity)
      .values({
        accountSid: this.credentials.accountSid,
        lastAppliedTimestamp: null,
        lastAppliedReceivedAt: null,
        lastStatusType: null,
        lastReceivedAt: null,
        missedSince: null,
        setAsideAt: null,
      })
      .orIgnore()
      .execute();
    return manager.findOneByOrFail(HeartbeatStateEntity, { accountSid: this.credentials.accountSid });
  }
}
