import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import { ExotelDatabase } from '../persistence/exotel-database';
import { CallEntity } from './call.entity';
import { CallInProgressError, CallRequestError, IdempotencyKeyReusedError } from './call.errors';
import { toCallRecord, type CallRecord } from './call-record';
import { CallRecords } from './call-records.service';
import type { PreparedCall } from './call-request';

/** A call an idempotency key placed, as `CallsService.place()` returns it. */
export interface ReplayedCall {
  readonly call: CallRecord;
  readonly replayed: true;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

/**
 * Idempotency keys: a request repeating a key gets the call the first one placed, never a second
 * call. Knows the Calls/connect requests this process is still waiting for, so that a repeat waits
 * for the first request's outcome rather than taking it for another instance's call.
 */
@Injectable()
export class IdempotentReplay {
  // Calls/connect requests of this process still waiting for Exotel, by call id.
  private readonly inFlight = new Map<string, Promise<CallRecord>>();

  constructor(
    private readonly db: ExotelDatabase,
    private readonly records: CallRecords,
  ) {}

  /**
   * The hash a request is kept with under its key (`null` without a key). Throws
   * `CallRequestError` for a key that is not 1 to 128 visible ASCII characters.
   */
  requestHash(key: string | undefined, prepared: PreparedCall): string | null {
    if (key === undefined) return null;
    if (!IDEMPOTENCY_KEY.test(key))
      throw new CallRequestError(
        'INVALID_IDEMPOTENCY_KEY',
        'idempotencyKey',
        'An idempotency key is 1 to 128 visible ASCII characters (a UUID, for instance)',
      );
    return hashRequest(prepared);
  }

  /** Keeps a call's Calls/connect outcome at hand for repeats of its key until it settles. */
  holdInFlight(callId: string, outcome: Promise<CallRecord>): void {
    this.inFlight.set(callId, outcome);
    void outcome.finally(() => this.inFlight.delete(callId)).catch(() => undefined);
  }

  /**
   * The call an earlier request with `key` placed (awaiting its outcome when this process sends
   * it, unless `wait` is false); `null` when the key placed nothing. Throws
   * `IdempotencyKeyReusedError` for a different request and `CallInProgressError` for a call
   * another process is still sending.
   */
  async find(key: string, requestHash: string | null, wait: boolean): Promise<ReplayedCall | null> {
    const row = await this.db.read((manager) => manager.findOneBy(CallEntity, { idempotencyKey: key }));
    if (!row) return null;
    if (row.requestHash !== requestHash) throw new IdempotencyKeyReusedError(row.id);
    if (!wait || row.settledAt) return { call: toCallRecord(row), replayed: true };
    const pending = this.inFlight.get(row.id);
    // Still being sent by another process (or one that stopped: the reconciler settles it later).
    if (!pending) throw new CallInProgressError(row.id);
    return { call: await pending.catch(() => this.records.get(row.id)), replayed: true };
  }
}

/** SHA-256 of a checked request in canonical JSON: the same call asked for twice hashes the same. */
function hashRequest(prepared: PreparedCall): string {
  return createHash('sha256').update(stringify(prepared)).digest('hex');
}
