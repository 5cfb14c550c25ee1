import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CallerIdFailover } from './caller-id-failover';
import { CustomerFacingMarks } from './customer-facing-marks';
import { ExoPhoneHealthViews, type ExoPhoneFilter, type HealthHistoryItem } from './exophone-health-views';
import type { CallDirection, CallerIdChoice, ExoPhoneHealthState } from './exophone-health.types';
import { ExoPhoneRows } from './exophone-rows';
import type { ExoPhoneView } from './exophone-view';
import type { ExoPhoneEntity } from './exophone.entity';
import {
  HealthObservationApplier,
  type HealthChange,
  type ObservationBatch,
} from './health-observation-applier';

// The types of this service's methods, and the reference matching other capabilities use, are
// offered here with the service.
export type { ExoPhoneFilter, HealthHistoryItem } from './exophone-health-views';
export type { HealthChange, ObservationBatch } from './health-observation-applier';

/**
 * The health of every ExoPhone of the account, per direction, and failover selection.
 *
 * Observations (heartbeats, sweeps) are applied in bulk inside the caller's transaction
 * (`HealthObservationApplier`): only ExoPhones whose health changes are written, each change is
 * recorded in the history table and published as `exophone.health_changed` with the previous and
 * the new state. Reads are `ExoPhoneHealthViews`'; failover is `CallerIdFailover`'s.
 */
@Injectable()
export class ExoPhoneHealthService {
  constructor(
    private readonly views: ExoPhoneHealthViews,
    private readonly failover: CallerIdFailover,
    private readonly observations: HealthObservationApplier,
    private readonly rows: ExoPhoneRows,
    private readonly marks: CustomerFacingMarks,
  ) {}

  /** ExoPhones with their health, by SID. */
  list(filter: ExoPhoneFilter = {}): Promise<{ items: ExoPhoneView[]; total: number }> {
    return this.views.list(filter);
  }

  /** One ExoPhone with its latest health changes (newest first). Throws `ExotelNotFoundError`. */
  get(sid: string): Promise<ExoPhoneView & { history: HealthHistoryItem[] }> {
    return this.views.get(sid);
  }

  /** How many ExoPhones are in each state, per direction. */
  counts(): Promise<Record<CallDirection, Record<ExoPhoneHealthState, number>>> {
    return this.views.counts();
  }

  /**
   * The caller id to use for a call from `preferred` (an ExoPhone SID or number): the preferred
   * ExoPhone if healthy in `direction`, else Exotel's alternate if healthy, else a healthy ExoPhone
   * of the failover pool preferring another region. The answer says which rule chose it. Throws
   * `NoHealthyCallerIdError` when the preferred ExoPhone is down and nothing healthy is left.
   * Calls asking for the same ExoPhone while its selection is being read share that read, and its
   * (frozen) answer: it began at most one read earlier, so a health change committed during that
   * read may be missed by the calls that joined it, as it is by the read itself.
   */
  pickCallerId(preferred: string, direction: CallDirection = 'outgoing'): Promise<CallerIdChoice> {
    return this.failover.pick(preferred, direction);
  }

  /**
   * Applies observations inside `manager`'s transaction and returns the changes. ExoPhones seen
   * for the first time are added (a heartbeat may name numbers the inventory has not listed yet).
   * @internal For the heartbeat and the sweep, in their own transactions.
   */
  applyObservations(manager: EntityManager, batch: ObservationBatch): Promise<HealthChange[]> {
    return this.observations.apply(manager, batch);
  }

  /**
   * An operator's customer-facing mark: true or false wins over the `exophones.customerFacing`
   * option and survives inventory syncs; null clears it (the options decide again). A change is
   * published as `exophone.customer_facing_changed` (source `operator`); incident advice reads the
   * effective value from then on. Answers the ExoPhone as it now is. Throws `ExoPhoneNotFoundError`.
   */
  markCustomerFacing(
    sid: string,
    mark: boolean | null,
  ): Promise<ExoPhoneView & { history: HealthHistoryItem[] }> {
    return this.marks.mark(sid, mark);
  }

  /** Whether an ExoPhone (SID or number) is marked customer-facing by the options. */
  isCustomerFacing(sid: string, phoneNumber: string | null): boolean {
    return this.rows.isCustomerFacing(sid, phoneNumber);
  }

  /** A row for an ExoPhone seen for the first time. @internal For the inventory sync. */
  newRow(sid: string, phoneNumber: string | null): ExoPhoneEntity {
    return this.rows.newRow(sid, phoneNumber);
  }

  /**
   * Takes the ExoPhone rows' write lock for the rest of the transaction: every read-modify-write of
   * ExoPhone rows (health apply, sweep, inventory sync) takes it before reading.
   * @internal For those writers, in their own transactions.
   */
  lockRows(manager: EntityManager): Promise<void> {
    return this.rows.lock(manager);
  }
}
