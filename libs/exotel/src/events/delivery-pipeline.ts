import { deferred } from '../async/deferred';
import type { ClaimOptions } from './outbox-store';
import type { OutboxEventEntity } from './outbox-event.entity';

/** Claims one batch in its own transaction and delivers it with `deliver` (`OutboxStore.deliverNext`). */
export type ClaimBatch = (
  deliver: (rows: OutboxEventEntity[]) => Promise<void>,
  options: ClaimOptions,
) => Promise<number>;

/**
 * One delivery pass of up to `depth` batches whose claims overlap deliveries (PostgreSQL): batch
 * i+1 is claimed while batch i is delivered, and delivered only once batch i was delivered and
 * committed, so each subject's events keep their order, also when they are delivered again; if
 * batch i failed, batch i+1 is not delivered and its transaction rolls back. Each claim treats the batches still in flight as delivered-first, so their subjects' later
 * events are not held back. Resolves to the number of events delivered; once every batch has
 * settled, rejects with the first failure.
 */
export async function deliverPipelined(
  depth: number,
  claimBatch: ClaimBatch,
  deliver: (rows: OutboxEventEntity[]) => Promise<void>,
): Promise<number> {
  const inFlight: number[] = [];
  const batches: Promise<number>[] = [];
  let previous: Promise<void> = Promise.resolve();
  // Resolves once the next batch's claim has been sent (or there will be none): a delivery starts
  // only then, so the database works on the next claim while this process encodes and sends.
  let nextClaimSent = deferred();
  for (let i = 0; i < depth; i++) {
    const before = previous;
    const delivered = deferred();
    previous = delivered.promise;
    const claimed = deferred<readonly number[]>();
    const claimSent = nextClaimSent;
    const followerSent = deferred();
    nextClaimSent = followerSent;
    const batch = claimBatch(
      async (rows) => {
        await before;
        // Let the driver write the next claim out before this delivery takes the event loop; not
        // for long, though: that claim may be waiting for a pool connection.
        await Promise.race([followerSent.promise, delay(FOLLOWER_WAIT_MS)]);
        await new Promise((resolve) => setImmediate(resolve));
        await deliver(rows);
      },
      { exclude: [...inFlight], onClaimed: claimed.resolve, onClaiming: () => claimSent.resolve() },
    ).then(
      (count) => {
        delivered.resolve();
        return count;
      },
      (error: unknown) => {
        delivered.reject(error);
        throw error;
      },
    );
    void batch.catch(() => undefined).finally(() => claimSent.resolve());
    batches.push(batch);
    // The next claim needs this one's positions; a claim that failed or found nothing ends the pass.
    const positions = await Promise.race([
      claimed.promise,
      batch.then(
        () => [],
        () => [],
      ),
    ]);
    if (positions.length === 0 || i === depth - 1) {
      followerSent.resolve();
      break;
    }
    inFlight.push(...positions);
  }
  const results = await Promise.allSettled(batches);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
  return results.reduce((sum, r) => sum + (r.status === 'fulfilled' ? r.value : 0), 0);
}

// How long a delivery waits for the next batch's claim to be sent.
const FOLLOWER_WAIT_MS = 20;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
