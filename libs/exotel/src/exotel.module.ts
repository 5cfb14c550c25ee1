import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ExotelApiOutcomes } from './client/exotel-api-outcomes';
import { createRequestBudgetStore } from './client/budget/request-budget-store.factory';
import { RequestBudgetStore } from './client/budget/request-budget-store';
import { ExotelClient } from './client/exotel-client';
import { ExotelRateBudget } from './client/exotel-rate-budget';
import { RequestBudgetHealthIndicator } from './client/request-budget.indicator';
import { createExotelHttp } from './client/exotel-http.factory';
import { EXOTEL_HTTP, EXOTEL_MODULE_EXTRAS, EXOTEL_MODULE_OPTIONS, EXOTEL_OPTIONS } from './exotel.constants';
import { ExotelConfigurableModule } from './exotel.module-definition';
import { EXOTEL_EVENT_CATALOGUE } from './events/event-catalogue';
import { EventPublisher } from './events/event-publisher';
import { ExotelEventHandlers } from './events/exotel-event-handlers';
import { OutboxEventPublisher } from './events/outbox-event-publisher';
import { ExotelEventDispatcher } from './events/exotel-event-dispatcher';
import { KafkaEventProducer } from './events/kafka/kafka-event-producer';
import { OutboxHealthIndicator } from './events/outbox-health.indicator';
import { OutboxPruner } from './events/outbox-pruner';
import { OutboxRelay } from './events/outbox-relay';
import { OutboxStore } from './events/outbox-store';
import { EXOTEL_LOCAL_EVENTS } from './events/local-event-lookup';
import { EXOTEL_ENTITIES } from './exotel-entities';
import { EXOTEL_OPTIONS_SLICES } from './exotel-options-slices';
import { EXOTEL_EVENT_SCHEMAS } from './exotel-event-catalogue';
import { ManagementAuthGuard } from './http/management-auth.guard';
import type { ExotelModuleMounting } from './http/exotel-controller-registry';
import { OwnBodyShield } from './http/own-body-shield';
import { WebhookSecretGuard } from './http/webhook-secret.guard';
import { ExotelClock, SystemClock } from './jobs/exotel-clock';
import { ExotelScheduler } from './jobs/exotel-scheduler';
import { ExotelShutdown } from './health/exotel-shutdown';
import { ExoPhoneHealthService } from './exophones/exophone-health.service';
import { CallerIdFailover } from './exophones/caller-id-failover';
import { ExoPhoneHealthViews } from './exophones/exophone-health-views';
import { ExoPhoneDirectory } from './exophones/exophone-directory.service';
import { ExoPhoneRows } from './exophones/exophone-rows';
import { CustomerFacingMarks } from './exophones/customer-facing-marks';
import { HealthObservationApplier } from './exophones/health-observation-applier';
import { ExoPhoneInventory } from './exophones/exophone-inventory';
import { ExoPhoneSweeper } from './heartbeat/exophone-sweeper';
import { HeartbeatIngestion } from './heartbeat/heartbeat-ingestion.service';
import { HeartbeatOrderingService } from './heartbeat/heartbeat-ordering.service';
import { HeartbeatSetAside } from './heartbeat/heartbeat-set-aside';
import { HeartbeatStates } from './heartbeat/heartbeat-states';
import { HeartbeatWatch } from './heartbeat/heartbeat-watch';
import { ParsedHeartbeats } from './heartbeat/parsed-heartbeats';
import { ExoPhoneHealthIndicator } from './heartbeat/exophone-health.indicator';
import { LastAppliedHeartbeat } from './heartbeat/last-applied-heartbeat';
import { LastHeartbeat } from './exophones/last-heartbeat.port';
import { JobLeases } from './jobs/job-leases';
import { ExotelMetrics } from './metrics/exotel-metrics';
import type { ExotelModuleOptions, ResolvedExotelOptions } from './options/exotel-module-options.interface';
import { resolveExotelOptions } from './options/resolve-exotel-options';
import { ExotelDatabase } from './persistence/exotel-database';
import { IncidentTicketsHandler } from './support/incident-tickets.handler';
import { SlaPolicyCatalogue } from './support/sla-policy';
import { SlaSignals } from './support/sla-signals';
import { SlaWatchJob } from './support/sla-watch.job';
import { SupportSlaService } from './support/support-sla.service';
import { TicketOpening } from './support/ticket-opening';
import { TicketTransitions } from './support/ticket-transitions';
import { ApiProbeJob } from './incidents/api-probe.job';
import { ExotelApiHealth } from './incidents/exotel-api-health';
import { IncidentLedger } from './incidents/incident-ledger';
import { IncidentSignalHandlers } from './incidents/incident-signal.handlers';
import { IncidentSignals } from './incidents/incident-signals';
import { ExoPhoneCondition } from './incidents/exophone-condition';
import { SourceCondition } from './incidents/source-condition';
import { IncidentWatchJob } from './incidents/incident-watch.job';
import { IncidentService } from './incidents/incident.service';
import { MaintenanceWindowsService } from './incidents/maintenance-windows.service';
import { DatabaseVoiceCallRecords } from './voice/database-voice-call-records';
import { AgentPassthruDecision, PassthruDecision } from './voice/passthru-decision';
import { VoiceAgents } from './voice/voice-agents';
import { VoiceCallRecords } from './voice/voice-call-records';
import { VoiceStreamGateway } from './voice/voice-stream.gateway';
import { CallsService } from './calls/calls.service';
import { CallRecords } from './calls/call-records.service';
import { CallCallbacks } from './calls/call-callbacks.service';
import { CallDetails } from './calls/call-details';
import { CallReconciler } from './calls/call-reconciler';
import { CallLatencyWatch } from './calls/call-latency-watch';
import { CallOutcomeTransitions } from './calls/call-outcome-transitions';
import { CallRecording } from './calls/call-recording';
import { CallSender } from './calls/call-sender';
import { CallDispatcher } from './calls/queue/call-dispatcher';
import { CallEnqueueing } from './calls/queue/call-enqueueing';
import { CallQueue } from './calls/queue/call-queue';
import { CallSettlements } from './calls/call-settlements';
import { IdempotentReplay } from './calls/idempotent-replay';
import { AbandonedCalls } from './calls/abandoned-calls';
import { PendingCallDetails } from './calls/pending-call-details';
import { SilentCallSettler } from './calls/silent-call-settler';
import { UnknownCallSearch } from './calls/unknown-call-search';
import { ConsoleFeed } from './console/console-feed';
import { ConsoleSessionGuard } from './console/console-session.guard';
import { ConsoleSessions } from './console/console-sessions';
import { ConsoleViews } from './console/console-views';
import { OperationsGauges } from './console/operations-gauges';

/**
 * The Exotel toolkit for NestJS: a typed Exotel client, webhook controllers, ExoPhone health and
 * failover, calls that never dial twice, incidents and the support SLA, all publishing events
 * through a transactional outbox.
 *
 * ```ts
 * @Module({
 *   imports: [
 *     TypeOrmModule.forRoot({ ...database, autoLoadEntities: true }),
 *     ExotelModule.forRootAsync({
 *       inject: [ConfigService],
 *       useFactory: (config: ConfigService) => ({ credentials: { ... }, webhooks: { secrets: [...] } }),
 *     }),
 *   ],
 * })
 * export class AppModule {}
 * ```
 *
 * The host owns the TypeORM DataSource; the module registers its own entities on it.
 */
@Module({
  imports: [DiscoveryModule, TypeOrmModule.forFeature(EXOTEL_ENTITIES)],
  providers: [
    {
      provide: EXOTEL_OPTIONS,
      useFactory: (options: ExotelModuleOptions, mounting: ExotelModuleMounting): ResolvedExotelOptions =>
        resolveExotelOptions(options, mounting.mounted, mounting.problems),
      inject: [EXOTEL_MODULE_OPTIONS, EXOTEL_MODULE_EXTRAS],
    },
    // Each top-level group on its own, for `@InjectExotelOptions(group)`.
    ...EXOTEL_OPTIONS_SLICES,
    {
      provide: EXOTEL_HTTP,
      useFactory: (options: ResolvedExotelOptions) => createExotelHttp(options),
      inject: [EXOTEL_OPTIONS],
    },
    { provide: ExotelClock, useClass: SystemClock },
    {
      provide: SlaPolicyCatalogue,
      useFactory: (options: ResolvedExotelOptions) => new SlaPolicyCatalogue(options.support.policyVersions),
      inject: [EXOTEL_OPTIONS],
    },
    { provide: EXOTEL_EVENT_CATALOGUE, useValue: EXOTEL_EVENT_SCHEMAS },
    { provide: EventPublisher, useClass: OutboxEventPublisher },
    {
      provide: ExotelEventDispatcher,
      useFactory: (handlers: ExotelEventHandlers, options: ResolvedExotelOptions, metrics: ExotelMetrics) => {
        const failures = metrics.counter({
          name: 'exotel_event_handler_failures_total',
          help: 'In-process event handler invocations that failed every attempt',
          labelNames: ['handler'],
        });
        return new ExotelEventDispatcher(handlers, options.events.handlers, (handler) =>
          failures.inc({ handler }),
        );
      },
      inject: [ExotelEventHandlers, EXOTEL_OPTIONS, ExotelMetrics],
    },
    {
      provide: RequestBudgetStore,
      useFactory: (options: ResolvedExotelOptions, db: ExotelDatabase) =>
        createRequestBudgetStore(options.rateLimit, db),
      inject: [EXOTEL_OPTIONS, ExotelDatabase],
    },
    ExotelRateBudget,
    RequestBudgetHealthIndicator,
    ExotelClient,
    ExotelDatabase,
    ExotelEventHandlers,
    KafkaEventProducer,
    OutboxStore,
    { provide: EXOTEL_LOCAL_EVENTS, useExisting: OutboxStore },
    OutboxRelay,
    OutboxPruner,
    OutboxHealthIndicator,
    JobLeases,
    ExotelScheduler,
    ExotelShutdown,
    ExotelMetrics,
    WebhookSecretGuard,
    ManagementAuthGuard,
    OwnBodyShield,
    SlaSignals,
    SupportSlaService,
    TicketOpening,
    TicketTransitions,
    SlaWatchJob,
    IncidentTicketsHandler,
    ExoPhoneHealthService,
    ExoPhoneHealthViews,
    CallerIdFailover,
    HealthObservationApplier,
    ExoPhoneRows,
    CustomerFacingMarks,
    ExoPhoneDirectory,
    ExoPhoneInventory,
    ExoPhoneHealthIndicator,
    ExoPhoneSweeper,
    HeartbeatIngestion,
    HeartbeatOrderingService,
    HeartbeatSetAside,
    HeartbeatStates,
    ParsedHeartbeats,
    HeartbeatWatch,
    // The ExoPhone views learn when the last heartbeat was applied from the heartbeat.
    { provide: LastHeartbeat, useClass: LastAppliedHeartbeat },
    ExotelApiHealth,
    // The client reports each request's outcome to the incidents' view of the API.
    { provide: ExotelApiOutcomes, useExisting: ExotelApiHealth },
    IncidentLedger,
    IncidentSignals,
    ExoPhoneCondition,
    SourceCondition,
    IncidentSignalHandlers,
    IncidentService,
    IncidentWatchJob,
    ApiProbeJob,
    MaintenanceWindowsService,
    { provide: VoiceCallRecords, useClass: DatabaseVoiceCallRecords },
    { provide: PassthruDecision, useClass: AgentPassthruDecision },
    VoiceAgents,
    VoiceStreamGateway,
    CallsService,
    CallRecords,
    CallCallbacks,
    CallDetails,
    CallReconciler,
    CallLatencyWatch,
    IdempotentReplay,
    CallRecording,
    CallSender,
    CallQueue,
    CallEnqueueing,
    CallDispatcher,
    CallSettlements,
    CallOutcomeTransitions,
    AbandonedCalls,
    UnknownCallSearch,
    PendingCallDetails,
    SilentCallSettler,
    ConsoleSessions,
    ConsoleSessionGuard,
    ConsoleViews,
    ConsoleFeed,
    OperationsGauges,
  ],
  exports: [
    EXOTEL_OPTIONS,
    ...EXOTEL_OPTIONS_SLICES.map((slice) => slice.provide),
    EXOTEL_LOCAL_EVENTS,
    ExotelClient,
    ExotelClock,
    ExotelDatabase,
    EventPublisher,
    ExotelEventHandlers,
    OutboxRelay,
    OutboxPruner,
    OutboxHealthIndicator,
    RequestBudgetHealthIndicator,
    KafkaEventProducer,
    ExotelScheduler,
    ExotelShutdown,
    ExotelMetrics,
    SupportSlaService,
    SlaPolicyCatalogue,
    ExoPhoneHealthService,
    ExoPhoneInventory,
    ExoPhoneHealthIndicator,
    ExoPhoneSweeper,
    HeartbeatIngestion,
    HeartbeatOrderingService,
    HeartbeatWatch,
    ExotelApiHealth,
    IncidentService,
    MaintenanceWindowsService,
    VoiceCallRecords,
    PassthruDecision,
    VoiceAgents,
    VoiceStreamGateway,
    CallsService,
    CallRecords,
    CallCallbacks,
    CallReconciler,
    CallLatencyWatch,
  ],
})
export class ExotelModule extends ExotelConfigurableModule {}
