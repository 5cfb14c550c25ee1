import { deliverPipelined, type ClaimBatch } from './delivery-pipeline';
import type { PendingEvent } from './outbox-store';

const row = (position: number): PendingEvent => ({
  position,
  family: 'calls',
  event: {
    specversion: '1.0',
    id: `E${position}`,
    source: 'urn:test',
    type: 'call.requested',
    subject: 'call-1',
    time: new Date(0).toISOString(),
    datacontenttype: 'application/json',
    sequence: position,
    data: {},
  },
});

/**
 * A fake store: claims hand out `batches` in turn, recording what each claim was told to exclude
 * and which batches were marked delivered.
 */
function fakeStore(batches: number[][]) {
  const excluded: (readonly number[])[] = [];
  const committed: number[][] = [];
  const timeline: string[] = [];
  let next = 0;
  const claim: ClaimBatch = async (deliver, options) => {
    const batch = next++;
    excluded.push(options.exclude ?? []);
    timeline.push(`claim ${batch}`);
    options.onClaiming?.();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const rows = (batches[batch] ?? []).map(row);
    options.onClaimed?.(rows.map((r) => r.position));
    if (rows.length > 0) await deliver(rows);
    await new Promise((resolve) => setTimeout(resolve, 2));
    committed.push(rows.map((r) => r.position));
    timeline.push(`commit ${batch}`);
    return rows.length;
  };
  return { claim, excluded, committed, timeline };
}

describe('deliverPipelined', () => {
  it('claims while delivering, delivers in claim order, and excludes the batches in flight', async () => {
    const store = fakeStore([[1, 2], [3], [4, 5]]);
    const delivered: number[][] = [];
    let sending = 0;
    const count = await deliverPipelined(3, store.claim, async (rows) => {
      // The slowest delivery is the first: order must still hold.
      sending++;
      expect(sending).toBe(1);
      store.timeline.push(`deliver ${rows[0].position}`);
      await new Promise((resolve) => setTimeout(resolve, rows[0].position === 1 ? 30 : 1));
      delivered.push(rows.map((r) => r.position));
      sending--;
    });
    expect(count).toBe(5);
    expect(delivered).toEqual([[1, 2], [3], [4, 5]]);
    // The fourth claim (which finds nothing) waits for a free slot: batch 0's commit.
    expect(store.excluded).toEqual([[], [1, 2], [1, 2, 3], [3, 4, 5]]);
    // The next batch is claimed while one is delivered; a batch is delivered only after the one
    // before it committed (a redelivery of it can never come after later events).
    // (The empty fourth batch commits whenever its timer fires.)
    expect(store.timeline.filter((entry) => entry !== 'commit 3')).toEqual([
      'claim 0',
      'claim 1',
      'deliver 1',
      'claim 2',
      'commit 0',
      'claim 3',
      'deliver 3',
      'commit 1',
      'deliver 4',
      'commit 2',
    ]);
  });

  it('claims the next batch as soon as one is marked, keeping at most `depth` batches in flight', async () => {
    const store = fakeStore([[1], [2], [3], [4], [5], [6]]);
    let open = 0;
    let most = 0;
    const claim: ClaimBatch = async (deliver, options) => {
      most = Math.max(most, ++open);
      try {
        return await store.claim(deliver, options);
      } finally {
        open--;
      }
    };
    const delivered: number[] = [];
    expect(await deliverPipelined(2, claim, async (rows) => void delivered.push(rows[0].position))).toBe(6);
    expect(delivered).toEqual([1, 2, 3, 4, 5, 6]);
    expect(most).toBe(2);
    // Only the batch still in flight is excluded, never one already marked.
    expect(store.excluded.slice(0, 6)).toEqual([[], [1], [2], [3], [4], [5]]);
  });

  it('ends the pass after `maxBatches` claims, delivering what they claimed', async () => {
    const store = fakeStore([[1], [2], [3], [4]]);
    expect(await deliverPipelined(2, store.claim, async () => undefined, 3)).toBe(3);
    expect(store.excluded).toHaveLength(3);
  });

  it('ends the pass at a claim that finds nothing', async () => {
    const store = fakeStore([[1], []]);
    expect(await deliverPipelined(5, store.claim, async () => undefined)).toBe(1);
    expect(store.excluded).toHaveLength(2);
  });

  it('never delivers a batch after one that failed, and rejects with the first failure', async () => {
    const store = fakeStore([[1], [2], [3]]);
    const delivered: number[] = [];
    const failure = new Error('Kafka refused');
    await expect(
      deliverPipelined(3, store.claim, async (rows) => {
        if (rows[0].position === 1) throw failure;
        delivered.push(rows[0].position);
      }),
    ).rejects.toBe(failure);
    expect(delivered).toEqual([]);
    // No batch marked: each failed one releases its claim, leaving its events pending.
    expect(store.committed).toEqual([]);
  });
});
