import { randomBytes } from 'node:crypto';
import { monotonicFactory, type ULIDFactory } from 'ulid';

const POOL_BYTES = 4_096;

/**
 * A cryptographic PRNG for ULIDs that draws from a pooled `randomBytes` buffer. The ulid package's
 * default asks the system for one byte per character (16 system calls per id), which showed up as
 * the largest single cost of placing a call.
 */
function pooledPrng(): () => number {
  let pool = randomBytes(POOL_BYTES);
  let offset = 0;
  return () => {
    if (offset === POOL_BYTES) {
      pool = randomBytes(POOL_BYTES);
      offset = 0;
    }
    return pool[offset++] / 256;
  };
}

/** A monotonic ULID factory (ids sort by time, then by creation order within a millisecond). */
export function ulidFactory(): ULIDFactory {
  return monotonicFactory(pooledPrng());
}
