import { Column, Entity, Index } from 'typeorm';
import { numericTransformer } from '../persistence/numeric.transformer';

/** A time a ticket waited on the customer; its response clock stood still. */
@Entity('exotel_support_ticket_pauses')
@Index('IDX_exotel_support_ticket_pauses_ticket', ['ticketId'])
export class TicketPauseEntity {
  @Column({ type: 'integer', primary: true, generated: 'increment', transformer: numericTransformer })
  id!: number;

  @Column({ name: 'ticket_id', type: 'varchar', length: 26 })
  ticketId!: string;

  @Column({ name: 'paused_at', type: Date })
  pausedAt!: Date;

  /** Null while the ticket still waits. */
  @Column({ name: 'resumed_at', type: Date, nullable: true })
  resumedAt!: Date | null;
}
