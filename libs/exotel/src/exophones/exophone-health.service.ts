import { Injectable } from '@nestjs/common';
import { In, Not, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { ExotelNotFoundError } from '../errors/exotel-not-found.error';
import { EventPublisher } from '../events/event-publisher';
import type { CataloguedEventInput } from '../events/event-catalogue';
import { HeartbeatStateEntity } from '../heartbeat/heartbeat-state.entity';
import { ExotelClock } from '../jobs/exotel-clock';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { ExotelDatabase } from '../persistence/exotel-database';
import { bulkInsert } from '../persistence/bulk-insert';
import { toE164 } from '../phone/phone-number';
import { selectCallerId, type CallerIdCandidate, type CallerIdChoice } from './caller-id-selection';
import { ExoPhoneHealthHistoryEntity } from './exophone-health-history.entity';
import {
  DIRECTIONS,
  type CallDirection,
  type ExoPhoneHealthState,
  type HealthObservation,
  type HealthSource,
} from './exophone-health.types';
import { toExoPhoneView, type ExoPhoneView } from './exophone-view';
import { NoHealthyCallerIdError } from './exophone.errors';
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

/** Filters of `ExoPhoneHealthService.list`. */
export interface ExoPhoneFilter {
  /** Only ExoPhones in this state (in `direction`, or in either direction). */
  readonly state?: ExoPhoneHealthState;
  readonly direction?: CallDirection;
  readonly region?: string;
  /** Page size. @default 500 */
  readonly limit?: number;
  /** Items to skip (ordered by SID). @default 0 */
  readonly offset?: number;
}

// SIDs per IN (...) lookup.
const CHUNK = 500;
const HISTORY_LIMIT = 100;

/**
 * The health of every ExoPhone of the account, per direction, and failover selection.
 *
 * Observations (heartbeats, sweeps) are applied in bulk inside the caller's transaction: only
 * ExoPhones whose health changes are written, each change is recorded in the history table and
 * published as `exophone.health_changed` with the previous and the new state.
 */
@Injectable()
export class ExoPhoneHealthService {
  // Selections being read, by direction and preferred ExoPhone: concurrent calls share one read.
  private readonly picking = new Map<string, Promise<CallerIdChoice>>();

  constructor(
    @InjectExotelOptions() private readonly options: ResolvedExotelOptions,
    private readonly db: ExotelDatabase,
    private readonly events: EventPublisher,
    private readonly clock: ExotelClock,
  ) {}

  /** ExoPhones with their health, by SID. */
  async list(filter: ExoPhoneFilter = {}): Promise<{ items: ExoPhoneView[]; total: number }> {
    const { rows, total, lastHeartbeatAt } = await this.db.read(async (manager) => {
      const where: FindOptionsWhere<ExoPhoneEntity>[] = [];
      const directions = filter.direction ? [filter.direction] : DIRECTIONS;
      const base: FindOptionsWhere<ExoPhoneEntity> = filter.region ? { region: filter.region } : {};
      if (filter.state) for (const d of directions) where.push({ ...base, [`${d}State`]: filter.state });
      else where.push(base);
      const [rows, total] = await manager.findAndCount(ExoPhoneEntity, {
        where,
        order: { sid: 'ASC' },
        take: filter.limit ?? 500,
        skip: filter.offset ?? 0,
      });
      return { rows, total, lastHeartbeatAt: await this.lastHeartbeatAt(manager) };
    });
    return { items: rows.map((row) => toExoPhoneView(row, lastHeartbeatAt)), total };
  }

  /** One ExoPhone with its latest health changes (newest first). Throws `ExotelNotFoundError`. */
  async get(sid: string): Promise<ExoPhoneView & { history: HealthHistoryItem[] }> {
    return this.db.read(async (manager) => {
      const row = await manager.findOneBy(ExoPhoneEntity, { sid });
      if (!row) throw new ExotelNotFoundError('ExoPhone', sid);
      const history = await manager.find(ExoPhoneHealthHistoryEntity, {
        where: { exoPhoneSid: sid },
        order: { id: 'DESC' },
        take: HISTORY_LIMIT,
      });
      return {
        ...toExoPhoneView(row, await this.lastHeartbeatAt(manager)),
        history: history.map((h) => ({
          direction: h.direction,
          previous: h.previous,
          current: h.current,
          source: h.source,
          observedAt: h.observedAt.toISOString(),
        })),
      };
    });
  }

  /** How many ExoPhones are in each state, per direction. */
  async counts(): Promise<Record<CallDirection, Record<ExoPhoneHealthState, number>>> {
    const rows = await this.db.read((manager) =>
      manager
        .createQueryBuilder(ExoPhoneEntity, 'e')
        .select('e.incoming_state', 'incoming')
        .addSelect('e.outgoing_state', 'outgoing')
        .addSelect('COUNT(*)', 'n')
        .groupBy('e.incoming_state')
        .addGroupBy('e.outgoing_state')
        .getRawMany<{ incoming: ExoPhoneHealthState; outgoing: ExoPhoneHealthState; n: string | number }>(),
    );
    const empty = (): Record<ExoPhoneHealthState, number> => ({
      active: 0,
      partial_network_outage: 0,
      major_outage: 0,
      unknown: 0,
    });
    const counts = { incoming: empty(), outgoing: empty() };
    for (const row of rows) {
      counts.incoming[row.incoming] += Number(row.n);
      counts.outgoing[row.outgoing] += Number(row.n);
    }
    return counts;
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
    const key = `${direction}:${preferred}`;
    const pending = this.picking.get(key);
    if (pending) return pending;
    const picked = this.readCallerId(preferred, direction)
      .then((choice) => Object.freeze(choice))
      .finally(() => this.picking.delete(key));
    this.picking.set(key, picked);
    return picked;
  }

  private readCallerId(preferred: string, direction: CallDirection): Promise<CallerIdChoice> {
    return this.db.read(async (manager) => {
      const preferredRow = await this.findByRef(manager, preferred);
      const candidate = (row: ExoPhoneEntity): CallerIdCandidate => ({
        sid: row.sid,
        phoneNumber: row.phoneNumber,
        region: row.region,
        state: direction === 'incoming' ? row.incomingState : row.outgoingState,
        alternates: direction === 'incoming' ? row.incomingAlternates : row.outgoingAlternates,
      });
      if (
        preferredRow &&
        (direction === 'incoming' ? preferredRow.incomingState : preferredRow.outgoingState) === 'active'
      ) {
        return selectCallerId(preferred, candidate(preferredRow), direction, () => undefined, [])!;
      }
      const alternates = new Map<string, CallerIdCandidate>();
      for (const ref of preferredRow ? candidate(preferredRow).alternates : []) {
        const row = await this.findByRef(manager, ref);
        if (row) alternates.set(ref, candidate(row));
      }
      const pool = (await this.poolRows(manager, direction, preferredRow?.sid)).map(candidate);
      const choice = selectCallerId(
        preferred,
        preferredRow ? candidate(preferredRow) : undefined,
        direction,
        (ref) => alternates.get(ref),
        pool,
      );
      if (!choice)
        throw new NoHealthyCallerIdError(
          preferred,
          direction,
          preferredRow ? candidate(preferredRow).state : 'unknown',
        );
      return choice;
    });
  }

  /**
   * Applies observations inside `manager`'s transaction and returns the changes. ExoPhones seen
   * for the first time are added (a heartbeat may name numbers the inventory has not listed yet).
   */
  async applyObservations(manager: EntityManager, batch: ObservationBatch): Promise<HealthChange[]> {
    // Heartbeat applies, sweeps and inventory syncs read, then rewrite, the same rows: one at a time.
    await this.lockRows(manager);
    const observed = new Map<string, Map<CallDirection, HealthObservation>>();
    for (const observation of batch.observations) {
      const forSid = observed.get(observation.exoPhoneSid) ?? new Map<CallDirection, HealthObservation>();
      forSid.set(observation.direction, observation);
      observed.set(observation.exoPhoneSid, forSid);
    }
    const rows = batch.othersActive
      ? await manager.find(ExoPhoneEntity)
      : await this.findBySids(manager, [...observed.keys()]);
    const bySid = new Map(rows.map((row) => [row.sid, row]));
    const now = this.clock.now();
    const dirty = new Map<string, ExoPhoneEntity>();
    const changes: (HealthChange & { row: ExoPhoneEntity; alternates: string[] })[] = [];

    for (const sid of new Set([...observed.keys(), ...(batch.othersActive ? bySid.keys() : [])])) {
      let row = bySid.get(sid);
      const seen = observed.get(sid);
      if (!row) {
        row = this.newRow(sid, [...(seen?.values() ?? [])].find((o) => o.phoneNumber)?.phoneNumber ?? null);
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
          changes.push({ exoPhoneSid: sid, direction, previous, current: target, row, alternates });
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
    if (changes.length > 0) {
      await this.events.publish(
        manager,
        changes.map((change): CataloguedEventInput => ({
          type: 'exophone.health_changed',
          subject: change.exoPhoneSid,
          time: batch.observedAt,
          data: {
            exoPhoneSid: change.exoPhoneSid,
            phoneNumber: change.row.phoneNumber,
            region: change.row.region,
            direction: change.direction,
            previous: change.previous,
            current: change.current,
            source: batch.source,
            observedAt: batch.observedAt.toISOString(),
            alternateExoPhones: change.alternates,
            customerFacing: change.row.customerFacing,
          },
        })),
      );
    }
    return changes.map(({ exoPhoneSid, direction, previous, current }) => ({
      exoPhoneSid,
      direction,
      previous,
      current,
    }));
  }

  /** Whether an ExoPhone (SID or number) is marked customer-facing by the options. */
  isCustomerFacing(sid: string, phoneNumber: string | null): boolean {
    return this.options.exophones.customerFacing.some((ref) => matchesRef(ref, sid, phoneNumber));
  }

  /** A row for an ExoPhone seen for the first time. */
  newRow(sid: string, phoneNumber: string | null): ExoPhoneEntity {
    const number = toE164(phoneNumber) ?? toE164(sid);
    return Object.assign(new ExoPhoneEntity(), {
      sid,
      phoneNumber: number,
      friendlyName: null,
      region: null,
      country: null,
      customerFacing: this.isCustomerFacing(sid, number),
      inInventory: false,
      incomingState: 'unknown',
      incomingCheckedAt: null,
      incomingAlternates: [],
      outgoingState: 'unknown',
      outgoingCheckedAt: null,
      outgoingAlternates: [],
      healthChangedAt: null,
      syncedAt: null,
    } satisfies ExoPhoneEntity);
  }

  private async poolRows(
    manager: EntityManager,
    direction: CallDirection,
    exclude?: string,
  ): Promise<ExoPhoneEntity[]> {
    const stateColumn = direction === 'incoming' ? 'incomingState' : 'outgoingState';
    const refs = this.options.exophones.failoverPool;
    if (refs.length === 0) {
      return manager.find(ExoPhoneEntity, {
        where: { [stateColumn]: 'active', ...(exclude ? { sid: Not(exclude) } : {}) },
        order: { sid: 'ASC' },
        take: 500,
      });
    }
    const rows: ExoPhoneEntity[] = [];
    for (const ref of refs) {
      const row = await this.findByRef(manager, ref);
      if (row && row.sid !== exclude) rows.push(row);
    }
    return rows;
  }

  /** An ExoPhone by SID or number, in one query; a SID match wins. */
  private async findByRef(manager: EntityManager, ref: string): Promise<ExoPhoneEntity | null> {
    const number = toE164(ref);
    const rows = await manager.find(ExoPhoneEntity, {
      where: number ? [{ sid: ref }, { phoneNumber: number }] : { sid: ref },
      take: 2,
    });
    return rows.find((row) => row.sid === ref) ?? rows[0] ?? null;
  }

  /**
   * Takes the ExoPhone rows' write lock for the rest of the transaction: every read-modify-write of
   * ExoPhone rows (health apply, sweep, inventory sync) takes it before reading.
   */
  lockRows(manager: EntityManager): Promise<void> {
    return this.db.lockUntilCommit(manager, `exotel-exophones:${this.options.credentials.accountSid}`);
  }

  private async findBySids(manager: EntityManager, sids: string[]): Promise<ExoPhoneEntity[]> {
    const rows: ExoPhoneEntity[] = [];
    for (let i = 0; i < sids.length; i += CHUNK)
      rows.push(...(await manager.findBy(ExoPhoneEntity, { sid: In(sids.slice(i, i + CHUNK)) })));
    return rows;
  }

  private async lastHeartbeatAt(manager: EntityManager): Promise<Date | null> {
    const state = await manager.findOneBy(HeartbeatStateEntity, {
      accountSid: this.options.credentials.accountSid,
    });
    return state?.lastStatusType === 'PAYLOAD_TOO_LARGE' ? null : (state?.lastAppliedTimestamp ?? null);
  }
}

/** One entry of an ExoPhone's health history. */
export interface HealthHistoryItem {
  readonly direction: CallDirection;
  readonly previous: ExoPhoneHealthState;
  readonly current: ExoPhoneHealthState;
  readonly source: HealthSource;
  readonly observedAt: string;
}

/** Whether an option reference (SID or number) names this ExoPhone. */
export function matchesRef(ref: string, sid: string, phoneNumber: string | null): boolean {
  if (ref === sid) return true;
  const number = toE164(ref);
  return number !== null && number === phoneNumber;
}

function sameList(a: readonly string[] | null | undefined, b: readonly string[]): boolean {
  const left = a ?? [];
  return left.length === b.length && left.every((value, i) => value === b[i]);
}
