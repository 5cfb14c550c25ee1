// The public surface of nestjs-exotel (the package root). Import from here only; everything else is internal.

// Module and options
export { ExotelModule } from './exotel.module';
export type { ExotelModuleExtras, ExotelOptionsFactory } from './exotel.module-definition';
export { EXOTEL_MODULE_OPTIONS, EXOTEL_OPTIONS } from './exotel.constants';
export type {
  ResolvedKafkaOptions,
  ExotelArrayEncoding,
  ExotelCredentials,
  ExotelModuleOptions,
  ExotelSubdomain,
  ExotelSupportOptions,
  ResolvedExotelOptions,
  SlaPolicyVersionOption,
} from './options/exotel-module-options.interface';
export { EXOTEL_OPTION_DEFAULTS } from './options/exotel-options.defaults';
export { InjectExotelOptions } from './options/inject-exotel-options.decorator';
export { resolveExotelOptions } from './options/resolve-exotel-options';

// Errors
export * from './errors';

// Client
export { ExotelClient, type Timed } from './client/exotel-client';
export * from './client/exotel-api.types';

// HTTP helpers
export type { ExotelControllerSwitch } from './http/exotel-controller-registry';
export { ExotelExceptionFilter } from './http/exotel-exception.filter';
export { createExotelValidationPipe } from './http/exotel-validation.pipe';
export { ManagementAuthGuard } from './http/management-auth.guard';
export { WebhookSecretGuard } from './http/webhook-secret.guard';
export { requestIdOf } from './http/request-id';
export type { ErrorBody } from './http/error-response';

// Events
export type { ExotelEvent, ExotelEventInput } from './events/exotel-event';
export {
  EXOTEL_EVENT_SCHEMAS,
  EXOTEL_EVENT_TYPES,
  exotelEventJsonSchemas,
  isExotelEventType,
} from './exotel-event-catalogue';
export type {
  CataloguedEventInput,
  ExotelEventData,
  ExotelEventOf,
  ExotelEventSchemaMap,
  ExotelEventType,
} from './events/event-catalogue';
export { EventPublisher } from './events/event-publisher';
export { OnExotelEvent } from './events/on-exotel-event.decorator';
export { ExotelEventHandlers, type ExotelEventHandler } from './events/exotel-event-handlers';
export { OutboxRelay } from './events/outbox-relay';
export { OutboxEventEntity } from './events/outbox-event.entity';
export { OutboxPruner } from './events/outbox-pruner';
export { OutboxHealthIndicator } from './events/outbox-health.indicator';
export type { OutboxBacklog, OutboxTarget } from './events/outbox-store';
export { KafkaEventProducer, type KafkaState } from './events/kafka/kafka-event-producer';
export type { ExotelKafkaConnectionOptions } from './options/kafka-connection.options';
export { fromKafkaMessage, toKafkaMessage, NotACloudEventError } from './events/cloudevents-kafka';
export { familyOf, type ExotelEventFamily } from './events/event-families';
export { ExotelEventsConsumerModule } from './exotel-events-consumer.module';
export { ExotelEventsConsumer, type ConsumerCounts } from './events/consumer/exotel-events-consumer';
export type { ExotelEventsConsumerOptions } from './events/consumer/exotel-events-consumer.options';
export { RecentEventIds, type EventDeduplicator } from './events/consumer/event-deduplicator';
export { exoPhoneHealthStateSchema } from './exophones/exophone.events';

// ExoPhones, heartbeat, failover
export {
  ExoPhoneHealthService,
  type ExoPhoneFilter,
  type HealthChange,
  type HealthHistoryItem,
  type ObservationBatch,
} from './exophones/exophone-health.service';
export { ExoPhoneInventory, type InventorySyncResult } from './exophones/exophone-inventory';
export { ExoPhoneHealthIndicator } from './heartbeat/exophone-health.indicator';
export type { ExotelHealthIndicatorResult } from './health/health-indicator-result';
export { ExoPhoneEntity } from './exophones/exophone.entity';
export type { ExoPhoneView, DirectionHealth } from './exophones/exophone-view';
export type {
  CallDirection,
  ExoPhoneHealthState,
  HealthObservation,
  HealthSource,
} from './exophones/exophone-health.types';
export {
  selectCallerId,
  type CallerIdChoice,
  type CallerIdRule,
  type CallerIdCandidate,
} from './exophones/caller-id-selection';
export { NoHealthyCallerIdError } from './exophones/exophone.errors';
export { ExoPhonesController } from './exophones/exophones.controller';
export { HeartbeatController } from './heartbeat/heartbeat.controller';
export { HeartbeatIngestion, type HeartbeatReceipt } from './heartbeat/heartbeat-ingestion.service';
export { HeartbeatWatch } from './heartbeat/heartbeat-watch';
export { ExoPhoneSweeper } from './heartbeat/exophone-sweeper';
export {
  parseHeartbeat,
  observationsOf,
  type HeartbeatPayload,
  type HeartbeatStatusType,
} from './heartbeat/heartbeat-payload';
export { toE164 } from './phone/phone-number';

// Support SLA
export { SupportSlaService } from './support/support-sla.service';
export {
  severityForIncident,
  type IncidentKind,
  type IncidentTicketInput,
  type OpenTicketInput,
  type ThirdPartySla,
  type TicketListFilter,
} from './support/support-sla.types';
export type { SupportTicket, TicketSla, TicketStatus, SlaMetric } from './support/support-ticket';
export {
  EXOTEL_SUPPORT_POLICY_V1,
  SUPPORT_PLANS,
  TICKET_SEVERITIES,
  SlaPolicyCatalogue,
  type CoverageHours,
  type SlaPolicyVersion,
  type SlaTargets,
  type SupportPlan,
  type TicketSeverity,
} from './support/sla-policy';
export { CoverageCalendar } from './support/coverage-calendar';
export {
  evaluateSlaClock,
  slaDeadline,
  type PauseInterval,
  type SlaClockInput,
  type SlaClockState,
} from './support/sla-clock';
export { SLA_WATCH_JOB } from './support/sla-watch.job';
export { TicketsController } from './support/tickets.controller';
export {
  TicketExistsForIncidentError,
  TicketNotFoundError,
  TicketStateConflictError,
  type TicketAction,
} from './support/ticket.errors';
export type { TicketResponse, SlaClockResponse } from './support/dto/ticket.response';

// Persistence, jobs, metrics
export { EXOTEL_ENTITIES } from './exotel-entities';
export { EXOTEL_MIGRATIONS } from './persistence/migrations';
export { ExotelDatabase, type ExotelDialect } from './persistence/exotel-database';
export { widenColumnTypesForPostgres } from './persistence/postgres-column-types';
export { ExotelClock, ManualClock, SystemClock } from './jobs/exotel-clock';
export { ExotelScheduler } from './jobs/exotel-scheduler';
export { ExotelJob, type ExotelJobDuration, type ExotelJobOptions } from './jobs/exotel-job.decorator';
export { ExotelMetrics } from './metrics/exotel-metrics';
export { useExotelBodyParsers, type ExotelBodyParserOptions } from './http/exotel-body-parsers';

// Logging: the one-line format the module logs in, for a host's own log calls
export { logLine } from './logging/log-line';

// Incidents and maintenance windows
export {
  IncidentService,
  type IncidentListFilter,
  type OpenIncidentByHand,
  type Reclassification,
} from './incidents/incident.service';
export {
  MaintenanceWindowsService,
  type MaintenanceSource,
  type MaintenanceWindowFilter,
  type MaintenanceWindowView,
  type ScheduleMaintenanceInput,
} from './incidents/maintenance-windows.service';
export { IncidentSignals, type IncidentSignal } from './incidents/incident-signals';
export {
  IncidentWatchJob,
  INCIDENT_WATCH_JOB,
  type IncidentWatchResult,
} from './incidents/incident-watch.job';
export { ApiProbeJob, API_PROBE_JOB } from './incidents/api-probe.job';
export { ExotelApiHealth, type ApiHealthSnapshot } from './incidents/exotel-api-health';
export { apiOutcomeOf, ExotelApiOutcomes, type ApiOutcome } from './client/exotel-api-outcomes';
export { EXOTEL_RESTORE_HOURS, RCA_DUE_HOURS, expectedRestore, rcaDueAt } from './incidents/incident-clocks';
export {
  API_LATENCY_SCOPE,
  EXOTEL_SCOPE,
  parseScope,
  regionScope,
  exoPhoneScope,
  type AffectedDirection,
  type ParsedScope,
} from './incidents/incident-scope';
export type { IncidentView, IncidentTimelineEntry } from './incidents/incident-view';
export type {
  AdviceMove,
  IncidentAdvice,
  IncidentClassification,
  IncidentCondition,
  IncidentConditionName,
  IncidentConditions,
  IncidentKindName,
  IncidentOrigin,
  IncidentRca,
  IncidentStatus,
} from './incidents/incident.types';
export {
  IncidentAlreadyOpenError,
  IncidentNotFoundError,
  IncidentStateConflictError,
  UnknownScopeError,
  type IncidentAction,
} from './incidents/incident.errors';
export { IncidentsController } from './incidents/incidents.controller';
export { MaintenanceWindowsController } from './incidents/maintenance-windows.controller';
// Voice-AI calls: Passthru answer, stream gateway, transfers, codecs
export {
  ExotelVoiceAgent,
  type ExotelVoiceAgentOptions,
  type VoiceAgent,
} from './voice/exotel-voice-agent.decorator';
export {
  VoiceSession,
  type VoiceAudioInput,
  type VoiceDtmfInput,
  type VoiceInput,
  type VoiceSendOptions,
  type VoiceSessionEnd,
  type VoiceStreamMetadata,
} from './voice/voice-session';
export {
  VoiceCallRecords,
  type PassthruBranch,
  type StreamDisconnectedBy,
  type StreamStart,
  type StreamStop,
  type TransferRequest,
  type VoiceCallView,
} from './voice/voice-call-records';
export { DatabaseVoiceCallRecords } from './voice/database-voice-call-records';
export { VoiceCallEntity } from './voice/voice-call.entity';
export { PassthruDecision, AgentPassthruDecision } from './voice/passthru-decision';
export { parsePassthruQuery, type PassthruAnswer, type PassthruStreamReport } from './voice/passthru-answer';
export { VoiceAgents, type RegisteredVoiceAgent } from './voice/voice-agents';
export { VoiceStreamGateway } from './voice/voice-stream.gateway';
export { VoiceAnswerController } from './voice/voice-answer.controller';
export { VoiceDialUpController, type DialUpResponse } from './voice/voice-dial-up.controller';
export {
  PassthruInvalidError,
  TransferNumberInvalidError,
  VoiceSessionClosedError,
} from './voice/voice.errors';
export { voiceEventSchemas } from './voice/voice.events';
export type { ExotelVoiceOptions, ResolvedVoiceOptions } from './options/exotel-module-options.interface';
export {
  LinearResampler,
  resample,
  VOICE_SAMPLE_RATES,
  type VoiceSampleRate,
} from './voice/codecs/linear-resampler';
export { mulawDecode, mulawEncode, MULAW_SILENCE } from './voice/codecs/mulaw';
export { pcm16FromBytes, pcm16ToBytes } from './voice/codecs/pcm16';
export {
  streamAudioFormat,
  decodePayload,
  encodePayload,
  bytesPerSecond,
  type StreamAudioFormat,
  type VoiceEncoding,
} from './voice/codecs/stream-audio-format';
export { CHUNK_RULES, chunkViolation, chunkBytesFor } from './voice/codecs/chunk-rules';
// Calls
export { CallsService, type ConnectOptions } from './calls/calls.service';
export { CallRecords, type CallListFilter, type CallSighting } from './calls/call-records';
export type { CallRecord, CallerIdView } from './calls/call-record';
export type { ConnectCallInput, CallPurpose } from './calls/call-request';
export { resolveAppletId, flowUrlOf } from './calls/call-request';
export { CallCallbacks, type CallbackReceipt } from './calls/call-callbacks.service';
export { CallReconciler, CALL_RECONCILE_JOB, type ReconcileRun } from './calls/call-reconciler';
export { CallLatencyWatch, type LatencyPercentiles } from './calls/call-latency-watch';
export { CallDetails } from './calls/call-details';
export { CallEntity, type CallOutcome, type CallOrigin, type CallLeg } from './calls/call.entity';
export {
  CallRequestError,
  PromotionalCallOutsideHoursError,
  CallNotFoundError,
  IdempotencyKeyReusedError,
  CallInProgressError,
  type CallRequestErrorCode,
} from './calls/call.errors';
export { CallsController } from './calls/calls.controller';
export { StatusCallbackController } from './calls/status-callback.controller';
export type { CallResponse } from './calls/dto/call.response';
export { composeCustomField, parseCustomField, USER_CUSTOM_FIELD_LIMIT } from './calls/correlation';
export type { ExotelCallsOptions, ResolvedCallsOptions } from './options/exotel-module-options.interface';
