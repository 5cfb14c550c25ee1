import { Injectable } from '@nestjs/common';
import { GroupCommit } from '../async/group-commit';
import type { CataloguedEventInput } from '../events/event-catalogue';
import { EventPublisher } from '../events/event-publisher';
import type { CallerIdChoice } from '../exophones/exophone-health.types';
import { ExotelDatabase } from '../persistence/exotel-database';
import { isUniqueViolation } from '../persistence/unique-violation';
import { CallEntity } from './call.entity';
import type { JsonValue } from '../persistence/json-value';
import { CallRecords } from './call-records.service';
import type { PreparedCall } from './call-request';

/** A new call and its `call.requested`, to record before anything is sent. */
interface Recording {
  readonly row: CallEntity;
  readonly requested: CataloguedEventInput;
}

/** What the idempotency key says of a new call. */
export interface CallIdempotency {
  readonly idempotencyKey: string | null;
  readonly requestHash: string | null;
}

/**
 * Records a new call with `call.requested` in one transaction, before anything is sent. Calls
 * recorded by concurrent requests share transactions (group commit).
 */
@Injectable()
export class CallRecording {
  private readonly recordings: GroupCommit<Recording, void>;

  constructor(
    private readonly db: ExotelDatabase,
    private readonly events: EventPublisher,
    private readonly records: CallRecords,
  ) {
    this.recordings = new GroupCommit({
      writeTogether: (items) => this.recordAll(items),
      writeAlone: async (item) => void (await this.recordAll([item])),
      // An idempotency key (or, in theory, an id) taken: by another request of the batch, maybe.
      splitOn: isUniqueViolation,
    });
  }

  /** The record of a call about to be sent, its outcome `unknown` until Exotel answers. */
  newRow(
    prepared: PreparedCall,
    choice: CallerIdChoice,
    now: Date,
    idempotency: CallIdempotency,
  ): CallEntity {
    const row = this.records.newRow(now, {
      origin: 'api',
      direction: 'outbound-api',
      mode: prepared.mode,
      fromNumber: prepared.from,
      toNumber: prepared.to ?? null,
      target: prepared.target,
      callerIdRequested: prepared.callerIdRef,
      callerId: chosenCallerId(choice),
      callerIdRule: choice.rule,
      callerIdReason: choice.reason.slice(0, 300),
      purpose: prepared.purpose,
      customField: prepared.customField,
      parameters: withoutUndefined({ ...prepared.parameters, streamName: prepared.streamName }),
      // Unknown until Exotel answers: a crash mid-request leaves exactly this, for reconciliation.
      outcome: 'unknown',
      status: 'requested',
    });
    row.idempotencyKey = idempotency.idempotencyKey;
    row.requestHash = idempotency.requestHash;
    return row;
  }

  /** Records the call with `call.requested`. */
  record(row: CallEntity, prepared: PreparedCall, choice: CallerIdChoice): Promise<void> {
    return this.recordings.write({
      row,
      requested: {
        type: 'call.requested',
        subject: row.id,
        time: row.requestedAt,
        data: {
          callId: row.id,
          correlationId: row.correlationId,
          mode: prepared.mode,
          from: prepared.from,
          to: prepared.to ?? null,
          callerId: row.callerId!,
          purpose: prepared.purpose,
          failover: {
            preferred: choice.preferred,
            chosen: chosenCallerId(choice),
            rule: choice.rule,
            reason: choice.reason,
          },
        },
      },
    });
  }

  /** New calls and their `call.requested`, in one transaction. */
  private async recordAll(items: readonly Recording[]): Promise<void[]> {
    await this.events.insertAndPublish(
      this.db,
      { entity: CallEntity, rows: items.map((item) => item.row) },
      items.map((item) => item.requested),
    );
    return items.map(() => undefined);
  }
}

/** The ExoPhone failover chose, by number when it has one. */
function chosenCallerId(choice: CallerIdChoice): string {
  return choice.chosenPhoneNumber ?? choice.chosen;
}

function withoutUndefined(value: Record<string, JsonValue | undefined>): Record<string, JsonValue> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Record<
    string,
    JsonValue
  >;
}
