import { deferred } from '../async/deferred';
import type { ClaimOptions, PendingEvent } from './outbox-store';

/**
 * Claims one batch, delivers it with `deliver` and marks it delivered (`OutboxStore.deliverNext`);
 * resolves once it was marked.
 */
export type ClaimBatch = (
  deliver: (rows: PendingEvent[]) => Promise<void>,
  options: ClaimOptions,
) => Promise<number>;

/**
 * One delivery pass (PostgreSQL): batches are claimed while earlier ones are delivered, with up to
 * `depth` batches in flight at once; as one is marked, the next batch is claimed, so the database
 * never waits for this process and this process never waits for a claim between batches. The pass
 * ends at a claim that finds nothing, after a failure, or after `maxBatches` batches (so that
 * stopping the relay never waits long).
 *
 * Batch i is delivered only once batch i-1 was delivered and marked, so each subject's events
 * keep their order, also when they are delivered again; if a batch failed, no later one is
 * delivered and their claims are released. Each claim treats the batches still in flight as
 * delivered-first, so their subjects' later events are not held back. Resolves to the number of
 * events delivered; once every batch has settled, rejects with the first failure.
 */
export async function deliverPipelined(
  depth: number,
  claimBatch: ClaimBatch,
  deliver: (rows: PendingEvent[]) => Promise<void>,
  maxBatches = depth * BATCHES_PER_SLOT,
): Promise<number> {
  // Positions of the batches still in flight (claimed, not yet marked or released), by batch.
  const open = new Map<number, readonly number[]>();
  const unsettled = new Set<Promise<unknown>>();
  const batches: Promise<number>[] = [];
  let failed = false;
  let previous: Promise<void> = Promise.resolve();
  // Resolves once the next batch's claim has been sent (or there will be none): a delivery starts
  // only then, so the database works on the next claim while this process encodes and sends.
  let nextClaimSent = deferred();
  for (let i = 0; i < maxBatches; i++) {
    while (unsettled.size >= depth) await Promise.race(unsettled);
    if (failed) break;
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
        // for long, though: that claim may be waiting for a free slot or pool connection.
        await Promise.race([followerSent.promise, delay(FOLLOWER_WAIT_MS)]);
        await new Promise((resolve) => setImmediate(resolve));
        await deliver(rows);
      },
      {
        exclude: [...open.values()].flat(),
        onClaiming: () => claimSent.resolve(),
        onClaimed: (positions) => {
          open.set(i, positions);
          claimed.resolve(positions);
        },
      },
    ).then(
      (count) => {
        delivered.resolve();
        return count;
      },
      (error: unknown) => {
        failed = true;
        delivered.reject(error);
        throw error;
      },
    );
    const settled = batch
      .catch(() => undefined)
      .finally(() => {
        open.delete(i);
        unsettled.delete(settled);
        claimSent.resolve();
      });
    unsettled.add(settled);
    batches.push(batch);
    // A claim that failed or found nothing ends the pass.
    const positions = await Promise.race([claimed.promise, settled.then(() => [])]);
    if (positions.length === 0) break;
  }
  nextClaimSent.resolve();
  const results = await Promise.allSettled(batches);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
  return results.reduce((sum, r) => sum + (r.status === 'fulfilled' ? r.value : 0), 0);
}

// How long a delivery waits for the next batch's claim to be sent.
const FOLLOWER_WAIT_MS = 20;
// A pass claims at most this many batches per slot before it ends and the loop starts the next.
const BATCHES_PER_SLOT = 10;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
