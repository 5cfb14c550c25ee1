import { Injectable } from '@nestjs/common';
import { IsNull, LessThanOrEqual, MoreThan, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { ValidationFailedError } from '../errors/http-request.errors';
import { EventPublisher } from '../events/event-publisher';
import { ExoPhoneDirectory } from '../exophones/exophone-directory.service';
import { ExotelClock } from '../jobs/exotel-clock';
import { ExotelDatabase } from '../persistence/exotel-database';
import { UnknownScopeError } from './incident.errors';
import { formatScope, parseScope } from './incident-scope';
import { MaintenanceWindowEntity } from './maintenance-window.entity';
import { ulidFactory } from '../persistence/ulid-factory';

/** Who announced a maintenance window (and does the work). */
export type MaintenanceSource = 'operator' | 'exotel';

/** A maintenance window to declare. */
export interface ScheduleMaintenanceInput {
  readonly scope: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly source: MaintenanceSource;
  readonly description?: string;
}

/** Filters of `MaintenanceWindowsService.list`. */
export interface MaintenanceWindowFilter {
  /** `upcoming` (not started), `active` (in force now), `ended`; all when absent. */
  readonly state?: 'upcoming' | 'active' | 'ended';
  /** At most this many, latest start first. @default 50 */
  readonly limit?: number;
}

/** A maintenance window as the API shows it. */
export interface MaintenanceWindowView {
  readonly id: string;
  readonly scope: string;
  readonly source: MaintenanceSource;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly description: string | null;
  /** `upcoming`, `active` or `ended`, at the time of the answer. */
  readonly state: 'upcoming' | 'active' | 'ended';
  readonly createdAt: string;
}

/**
 * Declared maintenance windows: planned work by an operator or by Exotel on a scope. Signals
 * inside a window in force open planned incidents, never unplanned ones. Declaring one publishes
 * `maintenance.scheduled`; the incident watch job publishes `maintenance.started` and `.ended`.
 */
@Injectable()
export class MaintenanceWindowsService {
  private readonly nextId = ulidFactory();

  constructor(
    private readonly db: ExotelDatabase,
    private readonly events: EventPublisher,
    private readonly clock: ExotelClock,
    private readonly directory: ExoPhoneDirectory,
  ) {}

  /**
   * Declares a window. Throws `ValidationFailedError` when it ends before it starts or has ended
   * already, `UnknownScopeError` when its scope names no region or ExoPhone of the account.
   */
  async schedule(input: ScheduleMaintenanceInput): Promise<MaintenanceWindowView> {
    const now = this.clock.now();
    const violations: { field: string; message: string }[] = [];
    if (input.endsAt.getTime() <= input.startsAt.getTime())
      violations.push({ field: 'endsAt', message: 'must be after startsAt' });
    else if (input.endsAt.getTime() <= now.getTime())
      violations.push({ field: 'endsAt', message: 'must be in the future (the window is over)' });
    if (violations.length > 0) throw new ValidationFailedError(violations);
    const window = await this.db.transaction(async (manager) => {
      const scope = await knownScope(this.directory, manager, input.scope);
      const row = manager.create(MaintenanceWindowEntity, {
        id: this.nextId(now.getTime()),
        scope,
        source: input.source,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        description: input.description ?? null,
        createdAt: now,
        startedAt: null,
        endedAt: null,
      });
      await manager.insert(MaintenanceWindowEntity, row);
      await this.events.publish(manager, {
        type: 'maintenance.scheduled',
        subject: row.id,
        data: {
          windowId: row.id,
          scope,
          source: input.source,
          startsAt: row.startsAt.toISOString(),
          endsAt: row.endsAt.toISOString(),
        },
      });
      return row;
    });
    return toWindowView(window, now);
  }

  /** Windows, latest start first. */
  async list(filter: MaintenanceWindowFilter = {}): Promise<MaintenanceWindowView[]> {
    const now = this.clock.now();
    const where: FindOptionsWhere<MaintenanceWindowEntity> =
      filter.state === 'upcoming'
        ? { startsAt: MoreThan(now) }
        : filter.state === 'active'
          ? { startsAt: LessThanOrEqual(now), endsAt: MoreThan(now) }
          : filter.state === 'ended'
            ? { endsAt: LessThanOrEqual(now) }
            : {};
    const rows = await this.db.read((manager) =>
      manager.find(MaintenanceWindowEntity, {
        where,
        order: { startsAt: 'DESC', id: 'DESC' },
        take: Math.min(Math.max(filter.limit ?? 50, 1), 200),
      }),
    );
    return rows.map((row) => toWindowView(row, now));
  }

  /**
   * Publishes `maintenance.started` and `maintenance.ended` for windows whose time has come, each
   * once whichever replica runs it (a conditional update claims it); resolves to the windows ended.
   * @internal For the incident watch job, in its transaction.
   */
  async publishTransitions(manager: EntityManager, now: Date): Promise<MaintenanceWindowEntity[]> {
    const due = await manager.find(MaintenanceWindowEntity, {
      where: [
        { startsAt: LessThanOrEqual(now), startedAt: IsNull() },
        { endsAt: LessThanOrEqual(now), endedAt: IsNull() },
      ],
      order: { startsAt: 'ASC', id: 'ASC' },
    });
    const ended: MaintenanceWindowEntity[] = [];
    for (const window of due) {
      if (!window.startedAt && (await claim(manager, window.id, 'started_at', now))) {
        await this.events.publish(manager, {
          type: 'maintenance.started',
          subject: window.id,
          time: window.startsAt,
          data: { windowId: window.id, scope: window.scope, startedAt: window.startsAt.toISOString() },
        });
      }
      if (window.endsAt <= now && !window.endedAt && (await claim(manager, window.id, 'ended_at', now))) {
        await this.events.publish(manager, {
          type: 'maintenance.ended',
          subject: window.id,
          time: window.endsAt,
          data: { windowId: window.id, scope: window.scope, endedAt: window.endsAt.toISOString() },
        });
        ended.push(window);
      }
    }
    return ended;
  }
}

/** Sets `column` once: true when this transaction's update did it. */
async function claim(
  manager: EntityManager,
  id: string,
  column: 'started_at' | 'ended_at',
  now: Date,
): Promise<boolean> {
  const result = await manager
    .createQueryBuilder()
    .update(MaintenanceWindowEntity)
    .set(column === 'started_at' ? { startedAt: now } : { endedAt: now })
    .where(`id = :id AND ${column} IS NULL`, { id })
    .execute();
  return (result.affected ?? 0) > 0;
}

/**
 * The canonical form of a scope that names something of the account; throws `UnknownScopeError`
 * (and `ValidationFailedError` for text that is no scope at all).
 */
export async function knownScope(
  directory: ExoPhoneDirectory,
  manager: EntityManager,
  scope: string,
): Promise<string> {
  const parsed = parseScope(scope);
  if (!parsed) throw new ValidationFailedError([{ field: 'scope', message: 'is not a scope' }]);
  const known =
    parsed.kind === 'region'
      ? await directory.hasRegion(manager, parsed.region === 'unknown' ? null : parsed.region)
      : parsed.kind === 'exophone'
        ? await directory.has(manager, parsed.sid)
        : true;
  if (!known) throw new UnknownScopeError(scope);
  return formatScope(parsed);
}

function toWindowView(row: MaintenanceWindowEntity, now: Date): MaintenanceWindowView {
  const state = row.startsAt > now ? 'upcoming' : row.endsAt > now ? 'active' : 'ended';
  return {
    id: row.id,
    scope: row.scope,
    source: row.source as MaintenanceSource,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    description: row.description,
    state,
    createdAt: row.createdAt.toISOString(),
  };
}
