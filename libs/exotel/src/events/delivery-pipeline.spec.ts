import { deliverPipelined, type ClaimBatch } from './delivery-pipeline';
import { OutboxEventEntity } from './outbox-event.entity';

const row = (position: number) => Object.assign(new OutboxEventEntity(), { position });

/**
 * A fake store: claims hand out `batches` in turn (each in its own "transaction"), recording what
 * each claim was told to exclude and which transactions committed.
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
    expect(store.excluded).toEqual([[], [1, 2], [1, 2, 3]]);
    // The next batch is claimed while one is delivered; a batch is delivered only after the one
    // before it committed (a redelivery of it can never come after later events).
    expect(store.timeline).toEqual([
      'claim 0',
      'claim 1',
      'deliver 1',
      'claim 2',
      'commit 0',
      'deliver 3',
      'commit 1',
      'deliver 4',
      'commit 2',
    ]);
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
    // No batch committed: each failed transaction rolls back, leaving its events pending.
    expect(store.committed).toEqual([]);
  });
});
