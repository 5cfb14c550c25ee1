import { ExotelError } from '../errors/exotel.error';

/**
 * A heartbeat's `timestamp` is further from the receiving clock than `heartbeat.maxClockSkewMs`
 * (either way): Exotel's clock is off, or the payload is replayed or mistyped. Refused with 400,
 * recorded nowhere, so it cannot make every later heartbeat look older than it.
 */
export class HeartbeatTimestampSkewedError extends ExotelError {
  readonly code = 'HEARTBEAT_TIMESTAMP_SKEWED';
  override readonly httpStatus = 400;

  constructor(
    readonly timestamp: Date,
    readonly receivedAt: Date,
    readonly maxClockSkewMs: number,
  ) {
    super(
      `The heartbeat's timestamp ${timestamp.toISOString()} is more than ${maxClockSkewMs} ms from this ` +
        `server's clock (${receivedAt.toISOString()}). Check the clocks (NTP) of both sides, or raise ` +
        'heartbeat.maxClockSkewMs if Exotel is known to be that far off.',
      {
        details: {
          timestamp: timestamp.toISOString(),
          receivedAt: receivedAt.toISOString(),
          maxClockSkewMs,
        },
      },
    );
  }
}
