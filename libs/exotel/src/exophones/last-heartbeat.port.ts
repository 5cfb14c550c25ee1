import type { EntityManager } from 'typeorm';

/**
 * What the ExoPhone views need of the heartbeat: when the last applied heartbeat was made. A
 * heartbeat lists only the affected ExoPhones, so it vouches for every other one as of then. The
 * heartbeat provides it (its state is its own); exophones read no heartbeat table.
 */
export abstract class LastHeartbeat {
  /**
   * Exotel's timestamp of the last heartbeat applied, in `manager`'s transaction; null when none
   * was, or when the last one was too large to list the affected numbers (it vouched for none).
   */
  abstract appliedAt(manager: EntityManager): Promise<Date | null>;
}
