import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { HealthObservation } from '../exophones/exophone-health.types';
import { logLine } from '../logging/log-line';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { ExotelDatabase } from '../persistence/exotel-database';
import { HeartbeatTimestampSkewedError } from './heartbeat.errors';
import { HeartbeatStateEntity } from './heartbeat-state.entity';

/** What `reset()` cleared. */
export interface HeartbeatOrderingReset {
  /** Exotel's timestamp of the heartbeat the ordering compared with until now (ISO), if any. */
  readonly lastAppliedTimestamp: string | null;
  /** When that heartbeat reached us (ISO), if known. */
  readonly lastAppliedReceivedAt: string | null;
}

/** What the ordering rule reads of a heartbeat. */
export interface OrderedHeartbeat {
  readonly timestamp: Date;
  readonly receivedAt: Date;
}

/**
 * Decides which heartbeats are newer news. Exotel's `timestamp` alone cannot: one stamped in the
 * future (a clock off at Exotel, a replayed or mistyped payload) would make every real heartbeat
 * after it look older. So:
 *
 * 1. At the edge, a timestamp more than `heartbeat.maxClockSkewMs` from the receiving clock, either
 *    way, is refused with 400 `HEARTBEAT_TIMESTAMP_SKEWED` and recorded nowhere (`checkSkew`).
 * 2. A heartbeat's arrival is when its first delivery reached any replica (`received_at`, that
 *    replica's clock; replicas keep NTP time, heartbeats come a minute or more apart). Exotel's
 *    retries carry the same timestamp, so they are the same heartbeat and keep its arrival.
 * 3. Pending heartbeats are applied one at a time in order of arrival. One is stale (recorded,
 *    ignored) only when it is older by both clocks: its timestamp is not after the last applied
 *    one's, and it was stamped before that one reached us, so it was made before the news already
 *    applied. That is a late delivery: Exotel retrying a heartbeat whose first delivery we lost
 *    after its successor got through, or two deliveries overtaking each other. A heartbeat stamped
 *    a few seconds "before" the last applied one but made after it arrived is applied: the last
 *    one's clock ran ahead.
 *
 * The state keeps the newest timestamp applied (`lastAppliedTimestamp`, which never goes back) and
 * the arrival of the heartbeat applied last.
 *
 * `reset()` forgets the last applied heartbeat, so the next one applies whatever its timestamp
 * (after an upgrade that finds a far-future timestamp stored, or to recover by hand).
 */
@Injectable()
export class HeartbeatOrderingService {
  private readonly logger = new Logger(HeartbeatOrderingService.name);

  constructor(
    @InjectExotelOptions('credentials') private readonly credentials: ResolvedExotelOptions['credentials'],
    @InjectExotelOptions('heartbeat') private readonly heartbeat: ResolvedExotelOptions['heartbeat'],
    private readonly db: ExotelDatabase,
  ) {}

  /** Throws `HeartbeatTimestampSkewedError` when `timestamp` is too far from `receivedAt`. */
  checkSkew(timestamp: Date, receivedAt: Date): void {
    if (Math.abs(timestamp.getTime() - receivedAt.getTime()) > this.heartbeat.maxClockSkewMs)
      throw new HeartbeatTimestampSkewedError(timestamp, receivedAt, this.heartbeat.maxClockSkewMs);
  }

  /** Whether `next` is older news than the last applied heartbeat (rule 3 above). */
  isStale(next: OrderedHeartbeat, state: HeartbeatStateEntity): boolean {
    const last = state.lastAppliedTimestamp;
    if (!last || next.timestamp.getTime() > last.getTime()) return false;
    // Without the last one's arrival (stored before it was kept), Exotel's timestamps decide.
    const arrived = state.lastAppliedReceivedAt;
    return !arrived || next.timestamp.getTime() < arrived.getTime();
  }

  /**
   * The time a heartbeat is applied at: its timestamp, or the newest one applied when that is later
   * (the heartbeat is newer news by arrival). It becomes the state's `lastAppliedTimestamp`, so that
   * stays the newest timestamp applied, and ExoPhone rows an earlier heartbeat wrote with a later
   * timestamp do not dismiss this heartbeat's observations as older (see `observations`).
   */
  appliedAt(next: OrderedHeartbeat, state: HeartbeatStateEntity): Date {
    const last = state.lastAppliedTimestamp;
    return last && last.getTime() > next.timestamp.getTime() ? last : next.timestamp;
  }

  /**
   * A heartbeat's observations as applied at `appliedAt`: when that is later than the heartbeat's
   * own timestamp, no `last_check_time` is earlier than it (they are newer news, whatever Exotel's
   * clock said). Otherwise as they are.
   */
  observations(
    observations: readonly HealthObservation[],
    timestamp: Date,
    appliedAt: Date,
  ): readonly HealthObservation[] {
    if (appliedAt.getTime() <= timestamp.getTime()) return observations;
    return observations.map((observation) =>
      observation.checkedAt && observation.checkedAt.getTime() >= appliedAt.getTime()
        ? observation
        : { ...observation, checkedAt: appliedAt },
    );
  }

  /**
   * Forgets the last applied heartbeat: the next pending one applies whatever its timestamp. Waits
   * for an apply in progress on any replica. Resolves to what was forgotten.
   */
  reset(): Promise<HeartbeatOrderingReset> {
    return this.db.transaction(async (manager) => {
      await this.lockApply(manager);
      const state = await manager.findOneBy(HeartbeatStateEntity, {
        accountSid: this.credentials.accountSid,
      });
      const forgotten = {
        lastAppliedTimestamp: state?.lastAppliedTimestamp?.toISOString() ?? null,
        lastAppliedReceivedAt: state?.lastAppliedReceivedAt?.toISOString() ?? null,
      };
      await manager.update(
        HeartbeatStateEntity,
        { accountSid: this.credentials.accountSid },
        { lastAppliedTimestamp: null, lastAppliedReceivedAt: null },
      );
      this.logger.warn(logLine('Heartbeat ordering reset by an operator', { ...forgotten }));
      return forgotten;
    });
  }

  /** Takes the lock heartbeat appliers hold, on every replica, until `manager` commits. */
  lockApply(manager: EntityManager): Promise<void> {
    return this.db.lockUntilCommit(manager, `exotel-heartbeat-apply:${this.credentials.accountSid}`);
  }
}
