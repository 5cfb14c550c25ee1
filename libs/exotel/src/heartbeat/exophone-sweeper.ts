import { Injectable, Logger } from '@nestjs/common';
import { IsNull, type EntityManager } from 'typeorm';
import { ExotelClient } from '../client/exotel-client';
import { ExotelRateLimitError } from '../errors/exotel-rate-limit.error';
import { ExoPhoneHealthService } from '../exophones/exophone-health.service';
import { toAlternates, toHealthState, type HealthObservation } from '../exophones/exophone-health.types';
import { ExoPhoneDirectory } from '../exophones/exophone-directory.service';
import { ExotelClock } from '../jobs/exotel-clock';
import { ExotelJob } from '../jobs/exotel-job.decorator';
import { logLine } from '../logging/log-line';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { ExotelDatabase } from '../persistence/exotel-database';
import { ExoPhoneSweepEntity, type SweepReason } from './exophone-sweep.entity';
import { ulidFactory } from '../persistence/ulid-factory';

/** Job that advances the open sweep. */
const SWEEP_JOB = 'exotel.heartbeat.exophone-sweep';

// A tick stops well before its lease (3 ticks, at least 10 s) could pass to another replica.
const TICK_BUDGET_MS = 5_000;
const PAGE = 25;

/**
 * The fallback when heartbeats cannot tell the health of every ExoPhone (PAYLOAD_TOO_LARGE, or no
 * heartbeat for too long): asks the ExoPhone-details API about each ExoPhone in turn, within the
 * client's ExoPhone-details budget (default 50/min), backing off on 429 and resuming after a restart.
 * An ExoPhone that cannot be observed becomes `unknown`, never `active`.
 */
@Injectable()
export class ExoPhoneSweeper {
  private readonly logger = new Logger(ExoPhoneSweeper.name);
  private readonly nextId = ulidFactory();

  constructor(
    @InjectExotelOptions('credentials') private readonly credentials: ResolvedExotelOptions['credentials'],
    private readonly db: ExotelDatabase,
    private readonly client: ExotelClient,
    private readonly health: ExoPhoneHealthService,
    private readonly clock: ExotelClock,
    private readonly directory: ExoPhoneDirectory,
  ) {}

  /** Starts a sweep within `manager`'s transaction, unless one is already under way (which is returned). */
  async start(manager: EntityManager, reason: SweepReason): Promise<ExoPhoneSweepEntity> {
    const open = await this.open(manager);
    if (open) return open;
    const sweep = manager.create(ExoPhoneSweepEntity, {
      id: this.nextId(),
      accountSid: this.credentials.accountSid,
      reason,
      startedAt: this.clock.now(),
      finishedAt: null,
      cursor: null,
      checked: 0,
      unobservable: 0,
    });
    await manager.insert(ExoPhoneSweepEntity, sweep);
    this.logger.warn(
      logLine('Sweeping ExoPhone details: heartbeats cannot tell the health of every ExoPhone', {
        sweepId: sweep.id,
        reason,
      }),
    );
    return sweep;
  }

  /** The sweep under way, if any. */
  current(): Promise<ExoPhoneSweepEntity | null> {
    return this.db.read((manager) => this.open(manager));
  }

  /**
   * Checks ExoPhones of the open sweep for up to `budgetMs`; resolves to how many were checked.
   * Stops early on a rate limit that outlasts the client's retries (the next tick resumes).
   */
  @ExotelJob({ name: SWEEP_JOB, intervalMs: (options) => options.heartbeat.sweepTickMs })
  async tick(budgetMs = TICK_BUDGET_MS): Promise<number> {
    const started = Date.now();
    let checked = 0;
    while (Date.now() - started < budgetMs) {
      const sweep = await this.current();
      if (!sweep) return checked;
      const next = await this.db.read((manager) =>
        this.directory.sidsAfter(manager, sweep.cursor ?? null, PAGE),
      );
      if (next.length === 0) {
        await this.finish(sweep);
        return checked;
      }
      for (const sid of next) {
        if (Date.now() - started >= budgetMs) return checked;
        let observations: HealthObservation[];
        try {
          observations = await this.observe(sid);
        } catch (error) {
          if (error instanceof ExotelRateLimitError) {
            this.logger.warn(
              logLine('Sweep paused by the ExoPhone-details throttle', {
                sweepId: sweep.id,
                retryAfterMs: error.retryAfterMs,
              }),
            );
            return checked;
          }
          throw error;
        }
        const unobservable = observations.every((o) => o.state === 'unknown') ? 1 : 0;
        await this.db.transaction(async (manager) => {
          await this.health.applyObservations(manager, {
            observations,
            source: 'sweep',
            observedAt: this.clock.now(),
            othersActive: false,
          });
          await manager.update(
            ExoPhoneSweepEntity,
            { id: sweep.id },
            {
              cursor: sid,
              checked: () => 'checked + 1',
              unobservable: () => `unobservable + ${unobservable}`,
            },
          );
        });
        sweep.cursor = sid;
        checked++;
      }
    }
    return checked;
  }

  /** What the details API says of one ExoPhone; `unknown` in both directions when it cannot say. */
  private async observe(sid: string): Promise<HealthObservation[]> {
    try {
      const details = await this.client.getExoPhone(sid);
      const connectivity = details.connectivity ?? {};
      return (['incoming', 'outgoing'] as const).map((direction) => {
        const leg = connectivity[`${direction}_call`];
        const checkedAt = leg?.last_check_time ? new Date(leg.last_check_time) : null;
        return {
          exoPhoneSid: sid,
          phoneNumber: details.phone_number ?? null,
          direction,
          state: toHealthState(leg?.status),
          checkedAt: checkedAt && !Number.isNaN(checkedAt.getTime()) ? checkedAt : null,
          alternates: toAlternates(leg?.alternate_exophone),
        };
      });
    } catch (error) {
      if (error instanceof ExotelRateLimitError) throw error;
      this.logger.warn(logLine('ExoPhone could not be observed; marking it unknown', { sid, err: error }));
      return (['incoming', 'outgoing'] as const).map((direction) => ({
        exoPhoneSid: sid,
        direction,
        state: 'unknown' as const,
      }));
    }
  }

  private async finish(sweep: ExoPhoneSweepEntity): Promise<void> {
    await this.db.transaction((manager) =>
      manager.update(ExoPhoneSweepEntity, { id: sweep.id }, { finishedAt: this.clock.now() }),
    );
    this.logger.log(logLine('ExoPhone sweep finished', { sweepId: sweep.id, reason: sweep.reason }));
  }

  private open(manager: EntityManager): Promise<ExoPhoneSweepEntity | null> {
    return manager.findOne(ExoPhoneSweepEntity, {
      where: { accountSid: this.credentials.accountSid, finishedAt: IsNull() },
      order: { startedAt: 'ASC' },
    });
  }
}
