import {
  ExoPhoneHealthIndicator,
  ExotelShutdown,
  OutboxHealthIndicator,
  RequestBudgetHealthIndicator,
} from 'nestjs-exotel';
import { Controller, Get, ServiceUnavailableException, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { HealthCheckFilter } from './health-check.filter';
import { StartupState } from './startup-state';

/**
 * Kubernetes probes. Liveness looks at this process only, so a database or Exotel outage never
 * gets the pod restarted; readiness checks the database and fails from SIGTERM on (`shutting down`);
 * startup reports when migrations and module start-up are done.
 */
@ApiTags('health')
@Controller('health')
@UseFilters(HealthCheckFilter)
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly startup: StartupState,
    private readonly outbox: OutboxHealthIndicator,
    private readonly exophones: ExoPhoneHealthIndicator,
    private readonly shutdown: ExotelShutdown,
    private readonly requestBudget: RequestBudgetHealthIndicator,
  ) {}

  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process is running and serving HTTP' })
  live() {
    return this.health.check([
      () => this.indicators.check('process').up({ uptimeSeconds: Math.round(process.uptime()) }),
    ]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: the database answers (Kafka and Exotel problems are reported, never fatal)',
  })
  ready() {
    // From SIGTERM on, at once and without a database round trip: the load balancer stops sending
    // requests while those in flight finish.
    const since = this.shutdown.since;
    if (since) {
      const shutdown = { status: 'down', reason: 'shutting down', since: since.toISOString() };
      throw new ServiceUnavailableException({
        status: 'error',
        info: {},
        error: { shutdown },
        details: { shutdown },
      });
    }
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 1_500 }),
      // Degraded (still 200) when events lag or Kafka is unreachable: they wait in the outbox.
      () => this.outbox.check('outbox'),
      // Degraded while heartbeats are missing; down only with heartbeat.criticalMeansNotReady.
      () => this.exophones.check('exophones'),
      // Degraded while the shared Exotel request budget's store (database or Redis) is unreachable.
      () => this.requestBudget.check('requestBudget'),
    ]);
  }

  @Get('startup')
  @HealthCheck()
  @ApiOperation({ summary: 'Startup: migrations ran and every module started' })
  started() {
    return this.health.check([
      () => {
        const indicator = this.indicators.check('startup');
        const at = this.startup.started;
        return at
          ? indicator.up({ startedAt: at.toISOString() })
          : indicator.down({ reason: 'still starting' });
      },
    ]);
  }
}
