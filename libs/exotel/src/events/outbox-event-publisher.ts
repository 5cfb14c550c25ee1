import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { monotonicFactory } from 'ulid';
import { ExotelClock } from '../jobs/exotel-clock';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { familyOf } from './event-families';
import { EventPublisher } from './event-publisher';
import { EXOTEL_EVENT_SCHEMAS, isExotelEventType, type CataloguedEventInput } from './event-catalogue';
import type { ExotelEvent } from './exotel-event';
import { EventSequenceEntity } from './event-sequence.entity';
import { OutboxEventEntity } from './outbox-event.entity';
import { tableName } from '../persistence/table-name';

/** `EventPublisher` that writes to the transactional outbox (`exotel_outbox_events`). */
@Injectable()
export class OutboxEventPublisher extends EventPublisher {
  private readonly nextId = monotonicFactory();

  constructor(
    @InjectExotelOptions() private readonly options: ResolvedExotelOptions,
    private readonly clock: ExotelClock,
  ) {
    super();
  }

  async publish(
    manager: EntityManager,
    input: CataloguedEventInput | readonly CataloguedEventInput[],
  ): Promise<ExotelEvent[]> {
    const inputs: readonly CataloguedEventInput[] = Array.isArray(input)
      ? input
      : [input as CataloguedEventInput];
    const published: ExotelEvent[] = [];
    for (const event of inputs) {
      assertCatalogued(event);
      const family = familyOf(event.type);
      const sequence = await this.nextSequence(manager, `${family}:${event.subject}`);
      const now = this.clock.now();
      const time = event.time ?? now;
      const row = manager.create(OutboxEventEntity, {
        id: this.nextId(now.getTime()),
        type: event.type,
        source: this.options.events.source,
        family,
        subject: event.subject,
        sequence,
        time,
        data: event.data,
        createdAt: now,
        dispatchedAt: null,
      });
      await manager.save(OutboxEventEntity, row, { reload: false });
      published.push(toEnvelope(row));
    }
    return published;
  }

  private async nextSequence(manager: EntityManager, aggregate: string): Promise<number> {
    // One statement that creates or increments the counter and returns it; the row lock it takes
    // orders concurrent publishers of the same aggregate.
    const table = tableName(manager, EventSequenceEntity);
    const [sql, parameters] = manager.connection.driver.escapeQueryWithParameters(
      `INSERT INTO ${table} AS s (aggregate, last_sequence) VALUES (:aggregate, 1) ` +
        'ON CONFLICT (aggregate) DO UPDATE SET last_sequence = s.last_sequence + 1 ' +
        'RETURNING last_sequence',
      { aggregate },
    );
    const rows = await manager.query<{ last_sequence: number | string }[]>(sql, parameters);
    return Number(rows[0].last_sequence);
  }
}

function assertCatalogued(event: CataloguedEventInput): void {
  if (!isExotelEventType(event.type))
    throw new Error(`Event type ${String(event.type)} is not in the event catalogue`);
  const checked = EXOTEL_EVENT_SCHEMAS[event.type].safeParse(event.data);
  if (!checked.success) {
    const issues = checked.error.issues
      .map((i) => `${i.path.join('.') || '(data)'}: ${i.message}`)
      .join('; ');
    throw new Error(`Event ${event.type} for ${event.subject} does not match its schema: ${issues}`);
  }
}

/** The CloudEvents envelope of an outbox row. */
export function toEnvelope(row: OutboxEventEntity): ExotelEvent {
  return {
    specversion: '1.0',
    id: row.id,
    source: row.source,
    type: row.type,
    subject: row.subject,
    time: row.time.toISOString(),
    datacontenttype: 'application/json',
    sequence: row.sequence,
    data: row.data,
  };
}
