import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The last sequence number given to each aggregate's events. Incrementing it takes a row lock, so
 * two transactions publishing for the same aggregate are ordered, and their sequence numbers follow
 * commit order.
 */
@Entity('exotel_event_sequences')
export class EventSequenceEntity {
  /** `<family>:<subject>`. */
  @PrimaryColumn({ type: 'varchar', length: 230 })
  aggregate!: string;

  @Column({ name: 'last_sequence', type: 'integer' })
  lastSequence!: number;
}
