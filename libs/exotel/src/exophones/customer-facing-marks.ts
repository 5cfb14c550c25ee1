import { Injectable } from '@nestjs/common';
import type { CataloguedEventInput } from '../events/event-catalogue';
import { EventPublisher } from '../events/event-publisher';
import { ExotelDatabase } from '../persistence/exotel-database';
import { ExoPhoneHealthViews, type HealthHistoryItem } from './exophone-health-views';
import { ExoPhoneRows } from './exophone-rows';
import type { ExoPhoneView } from './exophone-view';
import { ExoPhoneEntity } from './exophone.entity';
import { ExoPhoneNotFoundError } from './exophone.errors';

/** Who changed whether an ExoPhone counts as customer-facing. */
type CustomerFacingSource = 'operator' | 'options';

/**
 * Operators' customer-facing marks. A mark (true or false) wins over the `exophones.customerFacing`
 * option and survives inventory syncs, which only recompute the effective `customerFacing` from it;
 * clearing it (null) hands the ExoPhone back to the options. The row is written under the ExoPhone
 * rows' lock, as every other writer of them does, and a change is published as
 * `exophone.customer_facing_changed` in the same transaction.
 */
@Injectable()
export class CustomerFacingMarks {
  constructor(
    private readonly db: ExotelDatabase,
    private readonly rows: ExoPhoneRows,
    private readonly events: EventPublisher,
    private readonly views: ExoPhoneHealthViews,
  ) {}

  /**
   * Marks `sid` customer-facing (true), not customer-facing (false), or clears the mark (null).
   * Setting what is already set changes and publishes nothing. Throws `ExoPhoneNotFoundError`.
   */
  async mark(sid: string, mark: boolean | null): Promise<ExoPhoneView & { history: HealthHistoryItem[] }> {
    await this.db.transaction(async (manager) => {
      await this.rows.lock(manager);
      const row = await manager.findOneBy(ExoPhoneEntity, { sid });
      if (!row) throw new ExoPhoneNotFoundError(sid);
      const before = { mark: row.customerFacingMark, effective: row.customerFacing };
      row.customerFacingMark = mark;
      row.customerFacing = this.rows.effectiveCustomerFacing(row);
      if (before.mark === mark && before.effective === row.customerFacing) return;
      await manager.update(
        ExoPhoneEntity,
        { sid },
        { customerFacingMark: mark, customerFacing: row.customerFacing },
      );
      await this.events.publish(manager, customerFacingChanged(row, 'operator'));
    });
    return this.views.get(sid);
  }
}

/** The `exophone.customer_facing_changed` event of a row as it now is. */
export function customerFacingChanged(
  row: ExoPhoneEntity,
  source: CustomerFacingSource,
): CataloguedEventInput {
  return {
    type: 'exophone.customer_facing_changed',
    subject: row.sid,
    data: {
      exoPhoneSid: row.sid,
      phoneNumber: row.phoneNumber,
      customerFacing: row.customerFacing,
      mark: row.customerFacingMark,
      source,
    },
  };
}
