import { EventSequenceEntity } from './events/event-sequence.entity';
import { OutboxEventEntity } from './events/outbox-event.entity';
import { ExoPhoneHealthHistoryEntity } from './exophones/exophone-health-history.entity';
import { ExoPhoneEntity } from './exophones/exophone.entity';
import { ExoPhoneSweepEntity } from './heartbeat/exophone-sweep.entity';
import { HeartbeatStateEntity } from './heartbeat/heartbeat-state.entity';
import { HeartbeatEntity } from './heartbeat/heartbeat.entity';
import { JobLeaseEntity } from './jobs/job-lease.entity';
import { SlaSignalEntity } from './support/sla-signal.entity';
import { TicketPauseEntity } from './support/ticket-pause.entity';
import { TicketEntity } from './support/ticket.entity';
import { IncidentEntity } from './incidents/incident.entity';
import { IncidentTimelineEntity } from './incidents/incident-timeline.entity';
import { MaintenanceWindowEntity } from './incidents/maintenance-window.entity';
import { VoiceCallEntity } from './voice/voice-call.entity';
import { CallEntity } from './calls/call.entity';
import { CallCallbackEntity } from './calls/call-callback.entity';
import { CallBatchEntity } from './calls/queue/call-batch.entity';
import { QueuedCallEntity } from './calls/queue/queued-call.entity';
import { CallLatencyStateEntity } from './calls/call-latency-state.entity';

/**
 * Every entity the library persists. Add them to the host's DataSource (or use
 * `autoLoadEntities: true`); `ExotelModule` registers them with `TypeOrmModule.forFeature`.
 * Typed as plain classes: the entities themselves are internal (the tables are the module's).
 */
export const EXOTEL_ENTITIES: (new () => unknown)[] = [
  OutboxEventEntity,
  EventSequenceEntity,
  JobLeaseEntity,
  TicketEntity,
  TicketPauseEntity,
  SlaSignalEntity,
  ExoPhoneEntity,
  ExoPhoneHealthHistoryEntity,
  HeartbeatEntity,
  HeartbeatStateEntity,
  ExoPhoneSweepEntity,
  IncidentEntity,
  IncidentTimelineEntity,
  MaintenanceWindowEntity,
  VoiceCallEntity,
  CallEntity,
  CallCallbackEntity,
  QueuedCallEntity,
  CallBatchEntity,
  CallLatencyStateEntity,
];
