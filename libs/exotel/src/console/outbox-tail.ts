import { MoreThan, In, type EntityManager } from 'typeorm';
import { OutboxEventEntity } from '../events/outbox-event.entity';
import type { ExotelDatabase } from '../persistence/exotel-database';

/** An event as the console's feed reads it from the outbox. */
export interface TailedEvent {
  readonly position: number;
  readonly type: string;
  readonly subject: string;
  readonly time: string;
  readonly data: unknown;
}

/** How the tail reads. */
export interface OutboxTailSettings {
  /** Rows read per query. */
  readonly batchSize: number;
  /**
   * How long a missing position is waited for. PostgreSQL hands out positions when rows are
   * inserted, so a transaction that commits late leaves a hole below events already read; a hole
   * not filled by then belonged to a transaction that rolled back.
   */
  readonly holeWaitMs: number;
  /** Most holes remembered at once (the oldest are forgotten first). */
  readonly maxHoles: number;
}

const SELECT = { position: true, type: true, subject: true, time: true, data: true } as const;

/**
 * Reads what every replica commits to the outbox, in the order it becomes visible, each event
 * once. In-process delivery cannot serve a console: each event is dispatched on one replica only
 * (whichever relay claims it), so a console connected to another replica would never hear of it.
 * The tail reads the table itself, independently of delivery: it starts at the newest position,
 * reads past the highest it has seen, and re-reads the holes below it until they fill or lapse.
 */
export class OutboxTail {
  private high?: number;
  /** Positions below `high` not seen yet, with when they were first missed (ms). */
  private readonly holes = new Map<number, number>();

  constructor(
    private readonly db: ExotelDatabase,
    private readonly settings: OutboxTailSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** The events committed since the last call (none on the first call, which finds the start). */
  async next(): Promise<TailedEvent[]> {
    return this.db.read(async (manager) => {
      if (this.high === undefined) {
        this.high = await newestPosition(manager);
        return [];
      }
      const found: TailedEvent[] = [];
      if (this.holes.size > 0) {
        const filled = await manager.find(OutboxEventEntity, {
          select: SELECT,
          where: { position: In([...this.holes.keys()]) },
          order: { position: 'ASC' },
        });
        for (const row of filled) {
          this.holes.delete(row.position);
          found.push(toTailed(row));
        }
      }
      const rows = await manager.find(OutboxEventEntity, {
        select: SELECT,
        where: { position: MoreThan(this.high) },
        order: { position: 'ASC' },
        take: this.settings.batchSize,
      });
      const noticed = this.now();
      for (const row of rows) {
        const first = Math.max(this.high + 1, row.position - this.settings.maxHoles);
        for (let missing = first; missing < row.position; missing++) this.holes.set(missing, noticed);
        this.high = row.position;
        found.push(toTailed(row));
      }
      this.forgetLapsedHoles(noticed);
      return found;
    });
  }

  /** Whether the last read filled a whole batch (more may be waiting). */
  full(read: readonly TailedEvent[]): boolean {
    return read.length >= this.settings.batchSize;
  }

  private forgetLapsedHoles(now: number): void {
    for (const [position, since] of this.holes)
      if (now - since > this.settings.holeWaitMs) this.holes.delete(position);
    // Map iteration is insertion order: the first holes are the oldest.
    for (const position of this.holes.keys()) {
      if (this.holes.size <= this.settings.maxHoles) break;
      this.holes.delete(position);
    }
  }
}

async function newestPosition(manager: EntityManager): Promise<number> {
  const row = await manager
    .createQueryBuilder(OutboxEventEntity, 'o')
    .select('MAX(o.position)', 'max')
    .getRawOne<{ max: string | number | null }>();
  return Number(row?.max ?? 0);
}

function toTailed(row: Pick<OutboxEventEntity, keyof typeof SELECT>): TailedEvent {
  return {
    position: row.position,
    type: row.type,
    subject: row.subject,
    time: row.time.toISOString(),
    data: row.data,
  };
}
