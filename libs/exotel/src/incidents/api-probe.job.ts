import { Injectable, Logger } from '@nestjs/common';
import { ExotelClient } from '../client/exotel-client';
import { ExotelClock } from '../jobs/exotel-clock';
import { ExotelJob } from '../jobs/exotel-job.decorator';
import { logLine } from '../logging/log-line';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { ExotelApiHealth } from './exotel-api-health';

/** Name of the job that probes Exotel's API while this process finds it failing. */
const API_PROBE_JOB = 'exotel.incidents.api-probe';

/**
 * While this process finds Exotel's API failing and sends it nothing, nothing would ever show that
 * it works again: this job asks for one page of one ExoPhone now and then, and the answers reach
 * `ExotelApiHealth` like any other. It acts on this process's own view, so it is not a singleton.
 */
@Injectable()
export class ApiProbeJob {
  private readonly logger = new Logger(ApiProbeJob.name);

  constructor(
    @InjectExotelOptions('incidents') private readonly incidents: ResolvedExotelOptions['incidents'],
    private readonly apiHealth: ExotelApiHealth,
    private readonly client: ExotelClient,
    private readonly clock: ExotelClock,
  ) {}

  /** Probes when failing and idle; resolves to whether it sent a request. */
  @ExotelJob({
    name: API_PROBE_JOB,
    intervalMs: (options) => options.incidents.api.probeIntervalMs,
    singleton: false,
  })
  async probe(): Promise<boolean> {
    const health = this.apiHealth.snapshot();
    if (!health.failing) return false;
    const idleMs = this.clock.now().getTime() - (health.lastRequestAt?.getTime() ?? 0);
    if (idleMs < this.incidents.api.probeIntervalMs) return false;
    try {
      await this.client.listIncomingPhoneNumbers(0, 1);
    } catch (error) {
      this.logger.debug(logLine('Exotel API probe failed', { err: error }));
    }
    return true;
  }
}
