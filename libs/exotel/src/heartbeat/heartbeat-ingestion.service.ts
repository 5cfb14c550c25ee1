import { Injectable, Logger } from '@nestjs/common';
import { In, LessThan, Not, type EntityManager } from 'typeorm';
import { EventPublisher } from '../events/event-publisher';
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
import { ParsedHeartbeats } from './parsed-heartbeats';
import { ulidFactory } from '../persistence/ulid-factory';

/** How a delivery was taken. */
export interface HeartbeatReceipt {
  readonly id: string;
  /** The same heartbeat (same timestamp) was received before: acknowledged, not applied again. */
  readonly duplicate: boolean;
}

/** Jobs of the heartbeat capability. */
const HEARTBEAT_APPLY_JOB = 'exotel.heartbeat.apply';
const HEARTBEAT_PRUNE_JOB = 'exotel.heartbeat.prune';

/**
 * Takes heartbeats in (recorded durably before Exotel gets its 200) and applies them afterwards,
 * one at a time and in timestamp order whichever replica received them: a repeated timestamp is
 * acknowledged but not applied again, and a heartbeat older than the last one applied is recorded
 * as stale and ignored. Applying marks the listed ExoPhones affected and every other known
 * ExoPhone healthy; PAYLOAD_TOO_LARGE starts a sweep of the ExoPhone-details API instead.
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
    private readonly events: EventPublisher,
    private readonly health: ExoPhoneHealthService,
    private readonly sweeper: ExoPhoneSweeper,
    private readonly clock: ExotelClock,
    // Heartbeats received here, already parsed, so applying does not parse 10 MB twice.
    private readonly parsed: ParsedHeartbeats,
  ) {}

  private get account(): string {
    return this.credentials.accountSid;
  }

  /**
   * Records a delivery durably (body as received) and answers whether it was a repeat. Also notes
   * that heartbeats arrive, which ends a `heartbeat.missed` episode with `heartbeat.restored`.
   */
  async record(payload: HeartbeatPayload, body: string): Promise<HeartbeatReceipt> {
    const now = this.clock.now();
    try {
      const id = await this.db.transaction(async (manager) => {
        const existing = await manager.findOne(HeartbeatEntity, {
          select: { id: true },
          where: { accountSid: this.account, timestamp: payload.timestamp },
        });
        if (existing) {
          await manager.increment(HeartbeatEntity, { id: existing.id }, 'deliveries', 1);
          await this.noteArrival(manager, now);
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
        });
        await manager.insert(HeartbeatEntity, row);
        await this.noteArrival(manager, now);
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
   * Applies every pending heartbeat, oldest first. Calls while a pass runs schedule one more pass.
   * Resolves when no heartbeat is pending. As a job it catches up after a crash or on another
   * replica; receiving a heartbeat applies it at once.
   */
  @ExotelJob({ name: HEARTBEAT_APPLY_JOB, intervalMs: 5_000 })
  applyPending(): Promise<void> {
    if (this.applying) {
      this.again = true;
      return this.applying;
    }
    this.applying = (async () => {
      try {
        do {
          this.again = false;
          while (await this.applyNext());
        } while (this.again);
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

  /** Applies the oldest pending heartbeat; false when none is pending. */
  private async applyNext(): Promise<boolean> {
    return this.db.transaction(async (manager) => {
      // One applier at a time across replicas.
      await this.db.lockUntilCommit(manager, `exotel-heartbeat-apply:${this.account}`);
      const state = await this.state(manager);
      // Without the body (up to 10 MB): the webhook usually left it parsed in memory.
      const next = await manager.findOne(HeartbeatEntity, {
        select: { id: true, timestamp: true },
        where: { accountSid: this.account, outcome: 'pending' },
        order: { timestamp: 'ASC' },
      });
      if (!next) return false;
      const now = this.clock.now();
      if (state.lastAppliedTimestamp && next.timestamp.getTime() <= state.lastAppliedTimestamp.getTime()) {
        await manager.update(
          HeartbeatEntity,
          { id: next.id },
          { outcome: 'stale', appliedAt: now, changes: 0 },
        );
        this.parsed.drop(next.id);
        this.logger.warn(
          logLine('Heartbeat older than the last applied one; recorded and ignored', {
            heartbeat: next.timestamp,
          }),
        );
        return true;
      }
      const payload = this.parsed.get(next.id) ?? (await this.readPayload(manager, next.id));
      let changes = 0;
      if (payload.statusType === 'PAYLOAD_TOO_LARGE') {
        await this.sweeper.start(manager, 'payload_too_large');
      } else {
        changes = (
          await this.health.applyObservations(manager, {
            observations: observationsOf(payload),
            source: 'heartbeat',
            observedAt: payload.timestamp,
            othersActive: true,
          })
        ).length;
      }
      await manager.update(HeartbeatEntity, { id: next.id }, { outcome: 'applied', appliedAt: now, changes });
      await manager.update(
        HeartbeatStateEntity,
        { accountSid: this.account },
        { lastAppliedTimestamp: next.timestamp, lastStatusType: payload.statusType },
      );
      this.parsed.drop(next.id);
      if (changes > 0)
        this.logger.log(
          logLine('Heartbeat applied', { heartbeat: next.timestamp, status: payload.statusType, changes }),
        );
      return true;
    });
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
    return parseHeartbeat(JSON.parse(body));
  }

  /** Heartbeats arrive: ends a missed episode (once, whichever replica sees it first). */
  private async noteArrival(manager: EntityManager, now: Date): Promise<void> {
    const state = await this.state(manager);
    if (state.missedSince) {
      const ended = await manager
        .createQueryBuilder()
        .update(HeartbeatStateEntity)
        .set({ missedSince: null, lastReceivedAt: now })
        .where('account_sid = :account AND missed_since IS NOT NULL', { account: this.account })
        .execute();
      if ((ended.affected ?? 0) > 0) {
        const since = state.lastReceivedAt ?? state.missedSince;
        await this.events.publish(manager, {
          type: 'heartbeat.restored',
          subject: this.account,
          data: {
            heartbeatAt: now.toISOString(),
            silentForSeconds: Math.max(0, (now.getTime() - since.getTime()) / 1000),
          },
        });
        this.logger.log('Heartbeats arrive again');
        return;
      }
    }
    await manager.update(HeartbeatStateEntity, { accountSid: this.account }, { lastReceivedAt: now });
  }

  /** The account's state row, created on first use. */
  async state(manager: EntityManager): Promise<HeartbeatStateEntity> {
    const existing = await manager.findOneBy(HeartbeatStateEntity, { accountSid: this.account });
    if (existing) return existing;
    await manager
      .createQueryBuilder()
      .insert()
      .into(HeartbeatStateEntity)
      .values({
        accountSid: this.account,
        lastAppliedTimestamp: null,
        lastStatusType: null,
        lastReceivedAt: null,
        missedSince: null,
      })
      .orIgnore()
      .execute();
    return manager.findOneByOrFail(HeartbeatStateEntity, { accountSid: this.account });
  }
}
