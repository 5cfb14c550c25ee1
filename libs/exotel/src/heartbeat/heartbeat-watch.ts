import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { EventPublisher } from '../events/event-publisher';
import { ExotelClock } from '../jobs/exotel-clock';
import { ExotelJob } from '../jobs/exotel-job.decorator';
import { logLine } from '../logging/log-line';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { ExotelDatabase } from '../persistence/exotel-database';
import { ExoPhoneSweeper } from './exophone-sweeper';
import { HeartbeatIngestion } from './heartbeat-ingestion.service';
import { HeartbeatStateEntity } from './heartbeat-state.entity';

/** Job that watches for missing heartbeats. */
const HEARTBEAT_WATCH_JOB = 'exotel.heartbeat.watch';

/**
 * Notices when heartbeats stop: after `missedAfterIntervals` frequencies of silence (counted from
 * start-up when none ever came) it publishes `heartbeat.missed` once and starts a sweep of the
 * ExoPhone-details API, since nothing else says whether the ExoPhones are healthy.
 */
@Injectable()
export class HeartbeatWatch implements OnModuleInit {
  private readonly logger = new Logger(HeartbeatWatch.name);
  private startedAt!: Date;

  constructor(
    @InjectExotelOptions('heartbeat') private readonly heartbeat: ResolvedExotelOptions['heartbeat'],
    private readonly db: ExotelDatabase,
    private readonly events: EventPublisher,
    private readonly ingestion: HeartbeatIngestion,
    private readonly sweeper: ExoPhoneSweeper,
    private readonly clock: ExotelClock,
  ) {}

  onModuleInit(): void {
    this.startedAt = this.clock.now();
  }

  /** Checks for silence now; resolves to true when this call raised `heartbeat.missed`. */
  @ExotelJob({
    name: HEARTBEAT_WATCH_JOB,
    // Half a frequency, within 1-30 s.
    intervalMs: (options) =>
      Math.max(1_000, Math.min(30_000, (options.heartbeat.frequencySeconds * 1_000) / 2)),
  })
  async check(): Promise<boolean> {
    const { frequencySeconds, missedAfterIntervals } = this.heartbeat;
    const now = this.clock.now();
    return this.db.transaction(async (manager) => {
      const state = await this.ingestion.state(manager);
      if (state.missedSince) return false;
      const since = state.lastReceivedAt ?? this.startedAt;
      const silentForSeconds = (now.getTime() - since.getTime()) / 1000;
      if (silentForSeconds <= frequencySeconds * missedAfterIntervals) return false;
      const marked = await manager
        .createQueryBuilder()
        .update(HeartbeatStateEntity)
        .set({ missedSince: now })
        .where('account_sid = :account AND missed_since IS NULL', { account: state.accountSid })
        .execute();
      if ((marked.affected ?? 0) === 0) return false;
      await this.events.publish(manager, {
        type: 'heartbeat.missed',
        subject: state.accountSid,
        data: {
          lastHeartbeatAt: state.lastReceivedAt ? state.lastReceivedAt.toISOString() : null,
          expectedEverySeconds: frequencySeconds,
          silentForSeconds,
        },
      });
      await this.sweeper.start(manager, 'heartbeat_missed');
      this.logger.warn(
        logLine('No heartbeat from Exotel; sweeping ExoPhone details instead', { silentForSeconds }),
      );
      return true;
    });
  }
}
