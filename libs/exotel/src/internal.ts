// Internals for this repository's tests, benchmarks and scripts; not part of the semver contract.
//
// `nestjs-exotel/internal` resolves here only inside the repository: the root tsconfig's `paths`,
// Jest's `moduleNameMapper` and test/support/ts-register.js map it to this file, tsconfig.tools.json
// and scripts/internal-entry.cjs to its build. The package's `exports` do not name it and its
// `files` leave it out, so no host can import it; the apps use only the public entries.
// A name a host needs belongs in index.ts (and its API report), not here.

// Persistence and the clock, which the suites drive by hand
export { ExotelDatabase } from './persistence/exotel-database';
export { widenColumnTypesForPostgres } from './persistence/postgres-column-types';
export { ExotelClock, ManualClock } from './jobs/exotel-clock';

// The outbox: publishing events and delivering them without waiting for the relay's timer
export { EventPublisher } from './events/event-publisher';
export type { CataloguedEventInput } from './events/event-catalogue';
export { OutboxRelay } from './events/outbox-relay';
export { OutboxEventEntity } from './events/outbox-event.entity';

// The Exotel request budget and its stores
export { ExotelRateBudget } from './client/exotel-rate-budget';

// Calls
export { CallRecords } from './calls/call-records.service';
export { CallDetails } from './calls/call-details';
export { CallReconciler, CALL_RECONCILE_JOB } from './calls/call-reconciler';
export { CallLatencyWatch } from './calls/call-latency-watch';
export { CallEntity } from './calls/call.entity';
export { CallDispatcher, CALL_DISPATCH_JOB } from './calls/queue/call-dispatcher';
export { QueuedCallEntity } from './calls/queue/queued-call.entity';

// ExoPhones and the heartbeat
export { ExoPhoneEntity } from './exophones/exophone.entity';
export { ExoPhoneHealthHistoryEntity } from './exophones/exophone-health-history.entity';
export { ExoPhoneInventory } from './exophones/exophone-inventory';
export { HeartbeatIngestion } from './heartbeat/heartbeat-ingestion.service';
export { HeartbeatWatch } from './heartbeat/heartbeat-watch';
export { ExoPhoneSweeper } from './heartbeat/exophone-sweeper';

// Support and incidents: the watch jobs
export { SLA_WATCH_JOB } from './support/sla-watch.job';
export { IncidentSignals } from './incidents/incident-signals';
export { IncidentWatchJob, INCIDENT_WATCH_JOB } from './incidents/incident-watch.job';

// Voice: the default call records and the wire codecs
export { DatabaseVoiceCallRecords } from './voice/database-voice-call-records';
export { pcm16FromBytes, pcm16ToBytes } from './voice/codecs/pcm16';
export { decodePayload } from './voice/codecs/stream-audio-format';
