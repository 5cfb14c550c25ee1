import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { LastHeartbeat } from '../exophones/last-heartbeat.port';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { HeartbeatStateEntity } from './heartbeat-state.entity';

/** The heartbeat's answer to `LastHeartbeat`, read from the account's heartbeat state row. */
@Injectable()
export class LastAppliedHeartbeat extends LastHeartbeat {
  constructor(
    @InjectExotelOptions('credentials') private readonly credentials: ResolvedExotelOptions['credentials'],
  ) {
    super();
  }

  async appliedAt(manager: EntityManager): Promise<Date | null> {
    const state = await this.state(manager);
    return state?.lastStatusType === 'PAYLOAD_TOO_LARGE' ? null : (state?.lastAppliedTimestamp ?? null);
  }

  async statusType(manager: EntityManager): Promise<string | null> {
    return (await this.state(manager))?.lastStatusType ?? null;
  }

  private state(manager: EntityManager): Promise<HeartbeatStateEntity | null> {
    return manager.findOneBy(HeartbeatStateEntity, { accountSid: this.credentials.accountSid });
  }
}
