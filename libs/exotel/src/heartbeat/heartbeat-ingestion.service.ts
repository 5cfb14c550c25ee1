import { Injectable, Logger } from '@nestjs/common';
import { In, LessThan, Not, type EntityManager } from 'typeorm';
import { ExoPhoneHealthService } from '../exophones/exophone-health.service';
import { ExotelClock } from '../jobs/exotel-clock';
import { ExotelJob } from '../jobs/exotel-job.decorator';
import { logLine } from '../logging/log-line';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { ExotelDatabase } from '../persistence/exotel-database';
import { isUniqueViolation } from '../persistence/unique-violation';
import { ExoPhoneSweeper } from './exophone-sweeper';
import { observationsOf, parseHeartbeat, type HeartbeatPayload } from './heartbeat-payload';
import { HeartbeatStateEntity } from './heartbeat-state.entity';
import { HeartbeatEntity } from './heartbeat.entity';
import { HeartbeatOrderingService } from './heartbeat-ordering.service';
import { HeartbeatSetAside } from './heartbeat-set-aside';
import { HeartbeatStates } from './heartbeat-states';
import { ParsedHeartbeats } from './parsed-heartbeats';
import { ulidFactory } from '../persistence/ulid-factory';

/** How a delivery was taken. */
export interface HeartbeatReceipt {
  readonly id: string;
  /** The same heartbeat (same timestamp) was received before: acknowledged, not applied again. */
  readonly duplicate: boolean;
}

/** What one step of an apply pass did. */
type ApplyStep = 'applied' | 'idle' | 'failed';

/** Jobs of the heartbeat capability. */
const HEARTBEAT_APPLY_JOB = 'exotel.heartbeat.apply';
const HEARTBEAT_PRUNE_JOB = 'exotel.heartbeat.prune';

/**
 * Takes heartbeats in (recorded durably before Exotel gets its 200) and applies them afterwards,
 * one at a time and in order of arrival whichever replica received them: a repeated timestamp is
 * acknowledged but not applied again, a timestamp too far from our clock is refused, and a
 * heartbeat that is older news than the last one applied is recorded as stale and ignored (the
 * rule: `HeartbeatOrderingService`). Applying marks the listed ExoPhones affected and every other
 * known ExoPhone healthy; PAYLOAD_TOO_LARGE starts a sweep of the ExoPhone-details API instead. A
 * heartbeat that keeps failing to apply is set aside (`HeartbeatSetAside`) so later ones apply.
 */
@Injectable()
export class HeartbeatIngestion {
  private readonly logger = new Logger(HeartbeatIngestion.name);
  private readonly nextId = ulidFactory();
  private applying?: Promise<void>;
  private again = false;

  constructor(
    @InjectExotelOptions('credentials') private readonly credentials: ResolvedExotelOptions['credentials'],
    @InjectExotelOptions('heartbeat') private readonly heartbeat: ResolvedExotelOptions['heartbeat'],
    private readonly db: ExotelDatabase,
    private readonly health: ExoPhoneHealthService,
    private readonly sweeper: ExoPhoneSweeper,
    private readonly clock: ExotelClock,
    // Heartbeats received here, already parsed, so applying does not parse 10 MB twice.
    private readonly parsed: ParsedHeartbeats,
    private readonly ordering: HeartbeatOrderingService,
    private readonly setAside: HeartbeatSetAside,
    private readonly states: HeartbeatStates,
  ) {}

  private get account(): string {
    return this.credentials.accountSid;
  }

  /**
   * Records a delivery durably (body as received) and answers whether it was a repeat. Also notes
   * that heartbeats arrive, which ends a `heartbeat.missed` episode with `heartbeat.restored`.
   * Throws `HeartbeatTimestampSkewedError`, recording nothing, when the timestamp is further from
   * our clock than `heartbeat.maxClockSkewMs`.
   */
  async record(payload: HeartbeatPayload, body: string): Promise<HeartbeatReceipt> {
    const now = this.clock.now();
    this.ordering.checkSkew(payload.timestamp, now);
    try {
      const id = await this.db.transaction(async (manager) => {
        const existing = await manager.findOne(HeartbeatEntity, {
          select: { id: true },
          where: { accountSid: this.account, timestamp: payload.timestamp },
        });
        if (existing) {
          await manager.increment(HeartbeatEntity, { id: existing.id }, 'deliveries', 1);
          await this.states.noteArrival(manager, now);
          return { id: existing.id, duplicate: true };
        }
        const row = manager.create(HeartbeatEntity, {
          id: this.nextId(now.getTime()),
          accountSid: this.account,
          timestamp: payload.timestamp,
          statusType: payload.statusType,
          receivedAt: now,
          deliveries: 1,
          body,
          outcome: 'pending',
          appliedAt: null,
          changes: null,
          failedAttempts: 0,
          applyError: null,
        });
        await manager.insert(HeartbeatEntity, row);
        await this.states.noteArrival(manager, now);
        return { id: row.id, duplicate: false };
      });
      if (!id.duplicate) this.parsed.hold(id.id, payload, Buffer.byteLength(body));
      return id;
    } catch (error) {
      // Another replica recorded the same retry between our check and our insert.
      if (isUniqueViolation(error)) return { id: '', duplicate: true };
      throw error;
    }
  }

  /**
   * Applies every pending heartbeat, first arrived first. Calls while a pass runs schedule one more
   * pass. Resolves when no heartbeat is pending, or when one failed to apply and waits for the next
   * pass (one attempt per pass, so `heartbeat.maxApplyAttempts` spans a few ticks of the job). As a
   * job it catches up after a crash or on another replica; receiving a heartbeat applies it at once.
   */
  @ExotelJob({ name: HEARTBEAT_APPLY_JOB, intervalMs: 5_000 })
  applyPending(): Promise<void> {
    if (this.applying) {
      this.again = true;
      return this.applying;
    }
    this.applying = (async () => {
      try {
        let step: ApplyStep;
        do {
          this.again = false;
          while ((step = await this.applyNext()) === 'applied');
        } while (this.again && step === 'idle');
        await this.forgetApplied();
      } finally {
        this.applying = undefined;
      }
    })();
    return this.applying;
  }

  /** Deletes applied heartbeats older than `heartbeat.retentionHours`; resolves to how many. */
  @ExotelJob({ name: HEARTBEAT_PRUNE_JOB, intervalMs: 3_600_000 })
  async prune(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - this.heartbeat.retentionHours * 3_600_000);
    const result = await this.db.transaction((manager) =>
      manager.delete(HeartbeatEntity, {
        accountSid: this.account,
        outcome: Not('pending'),
        receivedAt: LessThan(cutoff),
      }),
    );
    return result.affected ?? 0;
  }

  /**
   * Applies the pending heartbeat that arrived first (or finds it stale, or sets it aside after its
   * last failed attempt): `applied`; `idle` when none is pending; `failed` when it failed and waits
   * for another attempt (the failure is recorded).
   */
  private async applyNext(): Promise<ApplyStep> {
    let attempted: string | undefined;
    try {
      return await this.db.transaction(async (manager) => {
        // One applier at a time across replicas.
        await this.ordering.lockApply(manager);
        const state = await this.state(manager);
        // Without the body (up to 10 MB): the webhook usually left it parsed in memory.
        const next = await manager.findOne(HeartbeatEntity, {
          select: { id: true, timestamp: true, receivedAt: true },
          where: { accountSid: this.account, outcome: 'pending' },
          order: { receivedAt: 'ASC', id: 'ASC' },
        });
        if (!next) return 'idle';
        attempted = next.id;
        await this.applyOne(manager, next, state);
        return 'applied';
      });
    } catch (error) {
      // Nothing was being applied: the database itself failed; the job retries.
      if (attempted === undefined) throw error;
      if (!(await this.setAside.failed(attempted, error))) return 'failed';
      this.parsed.drop(attempted);
      return 'applied';
    }
  }

  /** Applies (or finds stale) one pending heartbeat inside the apply lock. */
  private async applyOne(
    manager: EntityManager,
    next: Pick<HeartbeatEntity, 'id' | 'timestamp' | 'receivedAt'>,
    state: HeartbeatStateEntity,
  ): Promise<void> {
    const now = this.clock.now();
    if (this.ordering.isStale(next, state)) {
      await manager.update(
        HeartbeatEntity,
        { id: next.id },
        { outcome: 'stale', appliedAt: now, changes: 0 },
      );
      this.parsed.drop(next.id);
      this.logger.warn(
        logLine('Heartbeat older than the last applied one; recorded and ignored', {
          heartbeat: next.timestamp,
          lastApplied: state.lastAppliedTimestamp,
        }),
      );
      return;
    }
    const payload = this.parsed.get(next.id) ?? (await this.readPayload(manager, next.id));
    const appliedAt = this.ordering.appliedAt(next, state);
    let changes = 0;
    if (payload.statusType === 'PAYLOAD_TOO_LARGE') {
      await this.sweeper.start(manager, 'payload_too_large');
    } else {
      changes = (
        await this.health.applyObservations(manager, {
          observations: this.ordering.observations(observationsOf(payload), next.timestamp, appliedAt),
          source: 'heartbeat',
          observedAt: appliedAt,
          othersActive: true,
        })
      ).length;
    }
    await manager.update(HeartbeatEntity, { id: next.id }, { outcome: 'applied', appliedAt: now, changes });
    await manager.update(
      HeartbeatStateEntity,
      { accountSid: this.account },
      {
        lastAppliedTimestamp: appliedAt,
        lastAppliedReceivedAt: next.receivedAt,
        lastStatusType: payload.statusType,
        // Readiness stays degraded until a heartbeat that arrived after the set-aside one applies.
        setAsideAt: state.setAsideAt && next.receivedAt <= state.setAsideAt ? state.setAsideAt : null,
      },
    );
    this.parsed.drop(next.id);
    if (changes > 0)
      this.logger.log(
        logLine('Heartbeat applied', { heartbeat: next.timestamp, status: payload.statusType, changes }),
      );
  }

  /**
   * Stops holding the heartbeats that are no longer pending: another replica applied them while
   * this one waited for its turn, or found them stale.
   */
  private async forgetApplied(): Promise<void> {
    const held = this.parsed.ids();
    if (held.length === 0) return;
    const pending = await this.db.read((manager) =>
      manager.find(HeartbeatEntity, { select: { id: true }, where: { id: In(held), outcome: 'pending' } }),
    );
    const stillPending = new Set(pending.map((row) => row.id));
    for (const id of held) if (!stillPending.has(id)) this.parsed.drop(id);
  }

  /** A stored heartbeat's payload, parsed from its body (after a restart, or on another replica). */
  private async readPayload(manager: EntityManager, id: string): Promise<HeartbeatPayload> {
    const { body } = await manager.findOneOrFail(HeartbeatEntity, {
      select: { id: true, body: true },
      where: { id },
    });
    return parseHeartbeat(JSON.parse(body), this.heartbeat.maxClockSkewMs);
  }

  /** The account's heartbeat state row, created on first use. */
  state(manager: EntityManager): Promise<HeartbeatStateEntity> {
    return this.states.get(manager);
  }
}
