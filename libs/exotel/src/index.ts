// The public surface of nestjs-exotel (the package root): what a host app imports. Everything else is
// internal; this repository's own tests, benchmarks and scripts reach the internals they need through
// src/internal.ts (`nestjs-exotel/internal`), which the package does not export.

// Module and options
export { ExotelModule } from './exotel.module';
export type { ExotelModuleExtras, ExotelOptionsFactory } from './exotel.module-definition';
export type {
  ResolvedEventsOptions,
  ResolvedKafkaOptions,
  ExotelArrayEncoding,
  ExotelCredentials,
  ExotelModuleOptions,
  ExotelSubdomain,
  ExotelSupportOptions,
  ResolvedExotelOptions,
  SlaPolicyVersionOption,
  ExotelVoiceOptions,
  ResolvedVoiceOptions,
  ExotelCallsOptions,
  ResolvedCallsOptions,
} from './options/exotel-module-options.interface';
export type { ExotelKafkaConnectionOptions } from './options/kafka-connection.options';
export { InjectExotelOptions } from './options/inject-exotel-options.decorator';

// Errors
export * from './errors';

// Client: the typed Exotel API
export { ExotelClient, type Timed } from './client/exotel-client';
export * from './client/exotel-api.types';

// HTTP: the error filter, validation pipe and body parsers of a host's app
export type { ExotelControllerSwitch } from './http/exotel-controller-registry';
export { ExotelExceptionFilter } from './http/exotel-exception.filter';
export { createExotelValidationPipe } from './http/exotel-validation.pipe';
export { useExotelBodyParsers, type ExotelBodyParserOptions } from './http/exotel-body-parsers';
export { requestIdOf } from './http/request-id';
export type { ErrorBody } from './http/error-response';

// Events: types and schemas, in-process handlers, the outbox's health, Kafka (also in nestjs-exotel/events)
export type { ExotelEvent } from './events/exotel-event';
export {
  EXOTEL_EVENT_SCHEMAS,
  EXOTEL_EVENT_TYPES,
  exotelEventJsonSchemas,
  isExotelEventType,
} from './exotel-event-catalogue';
export type {
  ExotelEventData,
  ExotelEventOf,
  ExotelEventSchemaMap,
  ExotelEventType,
} from './events/event-catalogue';
export { familyOf, type ExotelEventFamily } from './events/event-families';
export { OnExotelEvent } from './events/on-exotel-event.decorator';
export { OutboxHealthIndicator } from './events/outbox-health.indicator';
export { RequestBudgetHealthIndicator } from './client/request-budget.indicator';
export type { OutboxBacklog, OutboxTarget } from './events/outbox-store';
export { fromKafkaMessage, toKafkaMessage, NotACloudEventError } from './events/cloudevents-kafka';
export { ExotelEventsConsumerModule } from './exotel-events-consumer.module';
export { ExotelEventsConsumer, type ConsumerCounts } from './events/consumer/exotel-events-consumer';
export type { ExotelEventsConsumerOptions } from './events/consumer/exotel-events-consumer.options';
export { RecentEventIds, type EventDeduplicator } from './events/consumer/event-deduplicator';

// Persistence, jobs, metrics, logging
export { EXOTEL_ENTITIES } from './exotel-entities';
export { EXOTEL_MIGRATIONS } from './persistence/migrations';
export { ExotelScheduler } from './jobs/exotel-scheduler';
export { ExotelJob, type ExotelJobDuration, type ExotelJobOptions } from './jobs/exotel-job.decorator';
export { ExotelMetrics } from './metrics/exotel-metrics';
export type { ExotelHealthIndicatorResult } from './health/health-indicator-result';
export { ExotelShutdown } from './health/exotel-shutdown';
// The one-line format the module logs in, for a host's own log calls
export { logLine } from './logging/log-line';

// Calls
export { CallsService, type ConnectOptions, type PlacedCall } from './calls/calls.service';
export type { CallListFilter } from './calls/call-records.service';
export type { CallRecord, CallerIdView } from './calls/call-record';
export type { ConnectCallInput, CallPurpose } from './calls/call-request';
export type { CallOutcome, CallOrigin, CallLeg } from './calls/call.entity';
export { USER_CUSTOM_FIELD_LIMIT } from './calls/correlation';
export {
  CallRequestError,
  PromotionalCallOutsideHoursError,
  CallNotFoundError,
  IdempotencyKeyReusedError,
  CallInProgressError,
  CallBatchInvalidError,
  CallBatchNotFoundError,
  CallBatchCompletedError,
  type CallBatchRowProblem,
  type CallRequestErrorCode,
} from './calls/call.errors';
// The durable call queue
export type {
  EnqueueOptions,
  QueuedCallView,
  CallBatchInput,
  CallBatchView,
} from './calls/queue/call-queue.types';
export type { QueuedCallState } from './calls/queue/queued-call.entity';

// ExoPhone health, the heartbeat and failover
export {
  ExoPhoneHealthService,
  type ExoPhoneFilter,
  type HealthHistoryItem,
} from './exophones/exophone-health.service';
export { ExoPhoneHealthIndicator } from './heartbeat/exophone-health.indicator';
export {
  HeartbeatOrderingService,
  type HeartbeatOrderingReset,
} from './heartbeat/heartbeat-ordering.service';
export { HeartbeatTimestampSkewedError } from './heartbeat/heartbeat.errors';
export type { ExoPhoneView, DirectionHealth } from './exophones/exophone-view';
export type {
  CallDirection,
  CallerIdChoice,
  CallerIdRule,
  ExoPhoneHealthState,
  HealthObservation,
  HealthSource,
} from './exophones/exophone-health.types';
export { ExoPhoneNotFoundError, NoHealthyCallerIdError } from './exophones/exophone.errors';

// Support tickets and Exotel's SLA
export { SupportSlaService } from './support/support-sla.service';
export type {
  IncidentKind,
  IncidentTicketInput,
  OpenTicketInput,
  ThirdPartySla,
  TicketListFilter,
} from './support/support-sla.types';
export type { SupportTicket, TicketSla, TicketStatus, SlaMetric } from './support/support-ticket';
export type { PauseInterval, SlaClockState } from './support/sla-clock';
export {
  EXOTEL_SUPPORT_POLICY_V1,
  SUPPORT_PLANS,
  TICKET_SEVERITIES,
  type CoverageHours,
  type SlaPolicyVersion,
  type SlaTargets,
  type SupportPlan,
  type TicketSeverity,
} from './support/sla-policy';
export {
  TicketExistsForIncidentError,
  TicketNotFoundError,
  TicketStateConflictError,
  type TicketAction,
} from './support/ticket.errors';

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
export type { IncidentView, IncidentTimelineEntry } from './incidents/incident-view';
export type { TimelineEntryType } from './incidents/incident-timeline.entity';
export type { AffectedDirection } from './incidents/incident-scope';
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

// Voice-AI calls: agents and their sessions, the Passthru decision, the call records port
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
export type { VoiceSampleRate } from './voice/codecs/linear-resampler';
export type { StreamAudioFormat, VoiceEncoding } from './voice/codecs/stream-audio-format';
export { PassthruDecision } from './voice/passthru-decision';
export type { PassthruAnswer, PassthruStreamReport } from './voice/passthru-answer';
export {
  VoiceCallRecords,
  type PassthruBranch,
  type StreamDisconnectedBy,
  type StreamStart,
  type StreamStop,
  type TransferRequest,
  type VoiceCallView,
} from './voice/voice-call-records';
export {
  PassthruInvalidError,
  TransferNumberInvalidError,
  VoiceSessionClosedError,
} from './voice/voice.errors';
