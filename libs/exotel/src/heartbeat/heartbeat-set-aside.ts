import { Injectable, Logger } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { ValidationFailedError } from '../errors/http-request.errors';
import { ExotelClock } from '../jobs/exotel-clock';
import { logLine } from '../logging/log-line';
import { ExotelMetrics } from '../metrics/exotel-metrics';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { ExotelDatabase } from '../persistence/exotel-database';
import { HeartbeatStateEntity } from './heartbeat-state.entity';
import { HeartbeatEntity } from './heartbeat.entity';

/** Characters of an apply error kept on the heartbeat's row (the column's width). */
const MAX_ERROR_LENGTH = 500;

/**
 * What happens to a heartbeat that fails to apply. Each failure is recorded on its row
 * (`failed_attempts`, `apply_error`); after `heartbeat.maxApplyAttempts` failures, or at once when
 * its stored body no longer reads as a heartbeat (it never will), it is set aside: marked
 * `set_aside`, counted on `exotel_heartbeats_set_aside_total`, and readiness reports the heartbeat
 * degraded until a heartbeat that arrived after that applies. Later heartbeats are then applied without it instead
 * of queueing behind it for good. When the database cannot even record the failure (it is down),
 * nothing is counted: the heartbeat waits for the database, as it should.
 */
@Injectable()
export class HeartbeatSetAside {
  private readonly logger = new Logger(HeartbeatSetAside.name);
  private readonly setAsideTotal: Counter;

  constructor(
    @InjectExotelOptions('heartbeat') private readonly heartbeat: ResolvedExotelOptions['heartbeat'],
    private readonly db: ExotelDatabase,
    private readonly clock: ExotelClock,
    metrics: ExotelMetrics,
  ) {
    this.setAsideTotal = metrics.counter({
      name: 'exotel_heartbeats_set_aside_total',
      help: 'Heartbeats set aside because they failed to apply (see exotel_heartbeats.apply_error)',
    });
  }

  /**
   * Records that applying heartbeat `id` failed with `error`. Resolves to true when it was set
   * aside (apply the next one now), false when it stays pending for another attempt.
   */
  async failed(id: string, error: unknown): Promise<boolean> {
    const message = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(
      0,
      MAX_ERROR_LENGTH,
    );
    const now = this.clock.now();
    const setAside = await this.db.transaction(async (manager) => {
      const row = await manager.findOne(HeartbeatEntity, {
        select: { id: true, accountSid: true, timestamp: true, failedAttempts: true, outcome: true },
        where: { id },
      });
      if (!row || row.outcome !== 'pending') return false;
      const attempts = row.failedAttempts + 1;
      const unreadable = error instanceof ValidationFailedError || error instanceof SyntaxError;
      const giveUp = unreadable || attempts >= this.heartbeat.maxApplyAttempts;
      await manager.update(
        HeartbeatEntity,
        { id },
        giveUp
          ? {
              failedAttempts: attempts,
              applyError: message,
              outcome: 'set_aside',
              appliedAt: now,
              changes: 0,
            }
          : { failedAttempts: attempts, applyError: message },
      );
      if (giveUp)
        await manager.update(HeartbeatStateEntity, { accountSid: row.accountSid }, { setAsideAt: now });
      const fields = { heartbeat: row.timestamp, attempts, err: message };
      if (giveUp) this.logger.error(logLine('Heartbeat set aside: it failed to apply', fields));
      else this.logger.warn(logLine('Applying a heartbeat failed; retrying on the next pass', fields));
      return giveUp;
    });
    if (setAside) this.setAsideTotal.inc();
    return setAside;
  }
}
