import { Injectable } from '@nestjs/common';
import type { ExotelHealthIndicatorResult } from '../health/health-indicator-result';
import { ExoPhoneHealthService } from '../exophones/exophone-health.service';
import { ExotelClock } from '../jobs/exotel-clock';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { ExotelDatabase } from '../persistence/exotel-database';
import { HeartbeatIngestion } from './heartbeat-ingestion.service';

/**
 * ExoPhone health for readiness: counts per state and direction, and the heartbeat's age. It is
 * `degraded` (still ready) while heartbeats are missing, or since a heartbeat was set aside (it
 * failed to apply) until one that arrived after that applies, and `down` only with
 * `heartbeat.criticalMeansNotReady` while Exotel reports every ExoPhone affected: an instance that
 * cannot place calls anyway may then leave the rotation.
 */
@Injectable()
export class ExoPhoneHealthIndicator {
  constructor(
    @InjectExotelOptions('heartbeat') private readonly heartbeat: ResolvedExotelOptions['heartbeat'],
    private readonly health: ExoPhoneHealthService,
    private readonly ingestion: HeartbeatIngestion,
    private readonly db: ExotelDatabase,
    private readonly clock: ExotelClock,
  ) {}

  /** The `exophones` readiness detail. */
  async check(key = 'exophones'): Promise<ExotelHealthIndicatorResult> {
    const [counts, state] = await Promise.all([
      this.health.counts(),
      this.db.transaction((m) => this.ingestion.state(m)),
    ]);
    const heartbeatAgeSeconds = state.lastReceivedAt
      ? (this.clock.now().getTime() - state.lastReceivedAt.getTime()) / 1000
      : null;
    const critical = state.lastStatusType === 'CRITICAL';
    const status =
      critical && this.heartbeat.criticalMeansNotReady
        ? 'down'
        : state.missedSince || state.setAsideAt || critical
          ? 'degraded'
          : 'up';
    return {
      [key]: {
        status,
        counts,
        lastHeartbeatAt: state.lastReceivedAt?.toISOString() ?? null,
        heartbeatAgeSeconds,
        lastStatusType: state.lastStatusType,
        heartbeatMissing: state.missedSince !== null,
        heartbeatSetAsideAt: state.setAsideAt?.toISOString() ?? null,
      },
    };
  }
}
