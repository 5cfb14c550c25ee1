import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import type { CataloguedEventInput } from '../events/event-catalogue';
import { EventPublisher } from '../events/event-publisher';
import { ExotelClock } from '../jobs/exotel-clock';
import { bulkInsert } from '../persistence/bulk-insert';
import { ExoPhoneHealthHistoryEntity } from './exophone-health-history.entity';
import {
  DIRECTIONS,
  type CallDirection,
  type ExoPhoneHealthState,
  type HealthObservation,
  type HealthSource,
} from './exophone-health.types';
import { applyObservationsOnPostgres, type AppliedChange } from './health-apply-postgres';
import { ExoPhoneRows } from './exophone-rows';
import { ExoPhoneEntity } from './exophone.entity';

/** A batch of observations to apply. */
export interface ObservationBatch {
  readonly observations: readonly HealthObservation[];
  readonly source: HealthSource;
  /** When they were made (a heartbeat's timestamp). */
  readonly observedAt: Date;
  /** Every known ExoPhone not observed is healthy (a heartbeat lists only the affected ones). */
  readonly othersActive: boolean;
}

/** One change of health, as applied. */
export interface HealthChange {
  readonly exoPhoneSid: string;
  readonly direction: CallDirection;
  readonly previous: ExoPhoneHealthState;
  readonly current: ExoPhoneHealthState;
}

// SIDs per IN (...) lookup.
const CHUNK = 500;

/**
 * Applies health observations (heartbeats, sweeps) in bulk inside the caller's transaction: only
 * ExoPhones whose health changes are written, each change is recorded in the history table and
 * published as `exophone.health_changed` with the previous and the new state.
 */
@Injectable()
export class HealthObservationApplier {
  constructor(
    private readonly events: EventPublisher,
    private readonly clock: ExotelClock,
    private readonly rows: ExoPhoneRows,
  ) {}

  /**
   * Applies observations inside `manager`'s transaction and returns the changes. ExoPhones seen
   * for the first time are added (a heartbeat may name numbers the inventory has not listed yet).
   */
  async apply(manager: EntityManager, batch: ObservationBatch): Promise<HealthChange[]> {
    // Heartbeat applies, sweeps and inventory syncs read, then rewrite, the same rows: one at a time.
    await this.rows.lock(manager);
    const now = this.clock.now();
    const changes =
      manager.connection.options.type === 'postgres'
        ? await applyObservationsOnPostgres(manager, batch.observations, {
            source: batch.source,
            observedAt: batch.observedAt,
            othersActive: batch.othersActive,
            now,
            newRow: (sid, phoneNumber) => this.rows.newRow(sid, phoneNumber),
          })
        : await this.applyRowByRow(manager, batch, now);
    await this.publish(manager, batch, changes);
    return changes.map(({ exoPhoneSid, direction, previous, current }) => ({
      exoPhoneSid,
      direction,
      previous,
      current,
    }));
  }

  /**
   * SQLite: reads the rows, computes the changes, writes the rows that differ and the changes'
   * history rows.
   */
  private async applyRowByRow(
    manager: EntityManager,
    batch: ObservationBatch,
    now: Date,
  ): Promise<AppliedChange[]> {
    const observed = new Map<string, Map<CallDirection, HealthObservation>>();
    for (const observation of batch.observations) {
      const forSid = observed.get(observation.exoPhoneSid) ?? new Map<CallDirection, HealthObservation>();
      forSid.set(observation.direction, observation);
      observed.set(observation.exoPhoneSid, forSid);
    }
    const rows = batch.othersActive
      ? await manager.find(ExoPhoneEntity, { order: { sid: 'ASC' } })
      : await findBySids(manager, [...observed.keys()]);
    const bySid = new Map(rows.map((row) => [row.sid, row]));
    const dirty = new Map<string, ExoPhoneEntity>();
    const changes: AppliedChange[] = [];

    for (const sid of new Set([...observed.keys(), ...(batch.othersActive ? bySid.keys() : [])])) {
      let row = bySid.get(sid);
      const seen = observed.get(sid);
      if (!row) {
        row = this.rows.newRow(
          sid,
          [...(seen?.values() ?? [])].find((o) => o.phoneNumber)?.phoneNumber ?? null,
        );
        dirty.set(sid, row);
      }
      for (const direction of DIRECTIONS) {
        const observation = seen?.get(direction);
        if (!observation && !batch.othersActive) continue;
        const target: ExoPhoneHealthState = observation?.state ?? 'active';
        const alternates = [...(observation?.alternates ?? [])];
        const stateKey = direction === 'incoming' ? 'incomingState' : 'outgoingState';
        const alternatesKey = direction === 'incoming' ? 'incomingAlternates' : 'outgoingAlternates';
        const checkedKey = direction === 'incoming' ? 'incomingCheckedAt' : 'outgoingCheckedAt';
        const previous = row[stateKey];
        // An observation older than what the row already knows (a sweep's GET answered before a
        // heartbeat that was applied first) must not undo newer news.
        const observedAt = observation?.checkedAt ?? batch.observedAt;
        const knownAt = row[checkedKey];
        if (knownAt && observedAt.getTime() < knownAt.getTime()) continue;
        if (previous !== target) {
          changes.push({
            exoPhoneSid: sid,
            direction,
            previous,
            current: target,
            alternates,
            phoneNumber: row.phoneNumber,
            region: row.region,
            customerFacing: row.customerFacing,
          });
          row[stateKey] = target;
          row[checkedKey] = observedAt;
          row.healthChangedAt = now;
          dirty.set(sid, row);
        }
        if (!sameList(row[alternatesKey], alternates)) {
          row[alternatesKey] = alternates;
          dirty.set(sid, row);
        }
        if (observation?.checkedAt && observation.checkedAt.getTime() !== row[checkedKey]?.getTime()) {
          row[checkedKey] = observation.checkedAt;
          dirty.set(sid, row);
        }
      }
    }

    await bulkInsert(manager, ExoPhoneEntity, [...dirty.values()], {
      key: ['sid'],
      update: [
        'phoneNumber',
        'incomingState',
        'incomingCheckedAt',
        'incomingAlternates',
        'outgoingState',
        'outgoingCheckedAt',
        'outgoingAlternates',
        'healthChangedAt',
      ],
    });
    await bulkInsert(
      manager,
      ExoPhoneHealthHistoryEntity,
      changes.map((change) =>
        Object.assign(new ExoPhoneHealthHistoryEntity(), {
          exoPhoneSid: change.exoPhoneSid,
          direction: change.direction,
          previous: change.previous,
          current: change.current,
          source: batch.source,
          observedAt: batch.observedAt,
          recordedAt: now,
        }),
      ),
    );
    return changes;
  }

  /** The changes' `exophone.health_changed` events. */
  private async publish(
    manager: EntityManager,
    batch: ObservationBatch,
    changes: readonly AppliedChange[],
  ): Promise<void> {
    if (changes.length > 0) {
      await this.events.publish(
        manager,
        changes.map((change): CataloguedEventInput => ({
          type: 'exophone.health_changed',
          subject: change.exoPhoneSid,
          time: batch.observedAt,
          data: {
            exoPhoneSid: change.exoPhoneSid,
            phoneNumber: change.phoneNumber,
            region: change.region,
            direction: change.direction,
            previous: change.previous,
            current: change.current,
            source: batch.source,
            observedAt: batch.observedAt.toISOString(),
            alternateExoPhones: change.alternates,
            customerFacing: change.customerFacing,
          },
        })),
      );
    }
  }
}

async function findBySids(manager: EntityManager, sids: string[]): Promise<ExoPhoneEntity[]> {
  const rows: ExoPhoneEntity[] = [];
  for (let i = 0; i < sids.length; i += CHUNK)
    rows.push(...(await manager.findBy(ExoPhoneEntity, { sid: In(sids.slice(i, i + CHUNK)) })));
  return rows;
}

function sameList(a: readonly string[] | null | undefined, b: readonly string[]): boolean {
  const left = a ?? [];
  return left.length === b.length && left.every((value, i) => value === b[i]);
}
