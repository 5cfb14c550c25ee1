import { ExotelError } from '../errors/exotel.error';
import { ExotelNotFoundError } from '../errors/exotel-not-found.error';

/**
 * A call request was refused before anything was recorded or sent to Exotel. Each reason has its
 * own stable `code`; `field` names the input at fault.
 */
export class CallRequestError extends ExotelError {
  override readonly httpStatus = 400;

  constructor(
    readonly code: CallRequestErrorCode,
    readonly field: string,
    message: string,
  ) {
    super(message, { details: { field } });
  }
}

/** Codes of `CallRequestError`. */
export type CallRequestErrorCode =
  | 'INVALID_PHONE_NUMBER'
  | 'CALL_TARGET_MISSING'
  | 'CALL_TARGET_CONFLICT'
  | 'TIME_LIMIT_OUT_OF_RANGE'
  | 'TIME_OUT_OUT_OF_RANGE'
  | 'CUSTOM_FIELD_TOO_LONG'
  | 'CALLER_ID_REQUIRED'
  | 'NO_APPLET_CONFIGURED'
  | 'INVALID_FLOW_URL'
  | 'INVALID_STREAM_URL'
  | 'INVALID_CALL_OPTION'
  | 'INVALID_IDEMPOTENCY_KEY';

/**
 * A promotional call outside the hours TRAI allows (09:00-21:00 in India). Nothing was recorded or
 * sent; place it inside the window, or mark it transactional if it really is.
 */
export class PromotionalCallOutsideHoursError extends ExotelError {
  readonly code = 'PROMOTIONAL_CALL_OUTSIDE_HOURS';
  override readonly httpStatus = 400;

  constructor(readonly localTime: string) {
    super(
      `Promotional calls may only be placed between 09:00 and 21:00 India time (TRAI); it is ${localTime} in Asia/Kolkata. ` +
        'Retry inside the window.',
      { details: { localTime, window: '09:00-21:00 Asia/Kolkata' } },
    );
  }
}

/** No call has this id. */
export class CallNotFoundError extends ExotelNotFoundError {
  override readonly code = 'CALL_NOT_FOUND';

  constructor(id: string) {
    super('Call', id);
  }
}

/**
 * An idempotency key came back with a different request than the call it first placed. Nothing was
 * recorded or sent: use a new key for a new call, or resend the first request unchanged.
 */
export class IdempotencyKeyReusedError extends ExotelError {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  override readonly httpStatus = 422;

  constructor(readonly callId: string) {
    super(
      `This Idempotency-Key was first used for call ${callId} with a different request; ` +
        'use a new key for a new call, or resend the first request unchanged.',
      { details: { callId } },
    );
  }
}

/**
 * A request repeated an idempotency key whose call another process is still sending to Exotel.
 * Nothing was sent again; retry shortly (`POST /calls` says `Retry-After: 1`) to get its outcome.
 */
export class CallInProgressError extends ExotelError {
  readonly code = 'CALL_IN_PROGRESS';
  override readonly httpStatus = 409;

  constructor(readonly callId: string) {
    super(
      `Call ${callId}, placed with this Idempotency-Key, is still waiting for Exotel's answer; ` +
        'retry in a second to get its outcome (nothing was sent again).',
      { details: { callId } },
    );
  }
}

/** One bad call of a batch: its index in `calls`, the field and why. */
export interface CallBatchRowProblem {
  readonly index: number;
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

/** A batch had bad calls; nothing of it was queued. `rows` lists every one of them. */
export class CallBatchInvalidError extends ExotelError {
  readonly code = 'CALL_BATCH_INVALID';
  override readonly httpStatus = 400;

  constructor(readonly rows: readonly CallBatchRowProblem[]) {
    const first = rows
      .slice(0, 3)
      .map((r) => `calls[${r.index}].${r.field}: ${r.message}`)
      .join('; ');
    super(
      `${rows.length} call(s) of the batch are invalid, so none was queued (${first}${rows.length > 3 ? '; ...' : ''}). ` +
        'Fix every row listed in details.rows and send the batch again.',
      { details: { rows } },
    );
  }
}

/** No batch has this id. */
export class CallBatchNotFoundError extends ExotelError {
  readonly code = 'CALL_BATCH_NOT_FOUND';
  override readonly httpStatus = 404;

  constructor(readonly batchId: string) {
    super(`No call batch ${batchId}.`, { details: { batchId } });
  }
}

/** Calls cannot be added to a batch whose calls were all placed, cancelled or failed. */
export class CallBatchCompletedError extends ExotelError {
  readonly code = 'CALL_BATCH_COMPLETED';
  override readonly httpStatus = 409;

  constructor(readonly batchId: string) {
    super(`Call batch ${batchId} has completed; queue the call in a new batch.`, { details: { batchId } });
  }
}
