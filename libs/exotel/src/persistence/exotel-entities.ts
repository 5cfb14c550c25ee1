import { EventSequenceEntity } from '../events/event-sequence.entity';
import { OutboxEventEntity } from '../events/outbox-event.entity';
import { ExoPhoneHealthHistoryEntity } from '../exophones/exophone-health-history.entity';
import { ExoPhoneEntity } from '../exophones/exophone.entity';
import { ExoPhoneSweepEntity } from '../heartbeat/exophone-sweep.entity';
import { HeartbeatStateEntity } from '../heartbeat/heartbeat-state.entity';
import { HeartbeatEntity } from '../heartbeat/heartbeat.entity';
import { JobLeaseEntity } from '../jobs/job-lease.entity';
import { SlaSignalEntity } from '../support/sla-signal.entity';
import { TicketPauseEntity } from '../support/ticket-pause.entity';
import { TicketEntity } from '../support/ticket.entity';

/**
 * Every entity the library persists. Add them to the host's DataSource (or use
 * `autoLoadEntities: true`); `ExotelModule` registers them with `TypeOrmModule.forFeature`.
 */
export const EXOTEL_ENTITIES = [
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
];
