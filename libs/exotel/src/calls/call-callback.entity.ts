import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A status callback as received. The unique (CallSid, event key) makes Exotel's retries and
 * duplicates one row whichever replica they reach: the event key is the `EventType` (`terminal`),
 * or for `answered` the stage (`answered:1` when the first leg answered, `answered:2` when both
 * did), since Exotel legitimately sends one `answered` per leg.
 */
@Entity('exotel_call_callbacks')
@Index('UQ_exotel_call_callbacks_event', ['callSid', 'eventKey'], { unique: true })
export class CallCallbackEntity {
  /** ULID. */
  @PrimaryColumn({ type: 'varchar', length: 26 })
  id!: string;

  @Column({ name: 'call_sid', type: 'varchar', length: 64 })
  callSid!: string;

  @Column({ name: 'event_key', type: 'varchar', length: 20 })
  eventKey!: string;

  /** Our call the callback belongs to. */
  @Column({ name: 'call_id', type: 'varchar', length: 26 })
  callId!: string;

  /** Exotel's `Status`. */
  @Column({ type: 'varchar', length: 20, nullable: true })
  status!: string | null;

  /** Deliveries of this callback (duplicates counted, not applied). */
  @Column({ type: 'integer', default: 1 })
  deliveries!: number;

  @Column({ name: 'received_at', type: Date })
  receivedAt!: Date;
}
