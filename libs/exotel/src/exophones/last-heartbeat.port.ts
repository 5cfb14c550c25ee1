import type { EntityManager } from 'typeorm';

/**
 * What other capabilities need of the heartbeat: when the last applied heartbeat was made (a
 * heartbeat lists only the affected ExoPhones, so the ExoPhone views take it as vouching for every
 * other one as of then) and what it said (incidents quote it as evidence). The heartbeat provides
 * it (its state is its own); no other capability reads a heartbeat table.
 */
export abstract class LastHeartbeat {
  /**
   * Exotel's timestamp of the last heartbeat applied, in `manager`'s transaction; null when none
   * was, or when the last one was too large to list the affected numbers (it vouched for none).
   */
  abstract appliedAt(manager: EntityManager): Promise<Date | null>;

  /**
   * The status of the last heartbeat applied (`OK`, `WARNING`, `CRITICAL`, `PAYLOAD_TOO_LARGE`), in
   * `manager`'s transaction; null when none was.
   */
  abstract statusType(manager: EntityManager): Promise<string | null>;
}
