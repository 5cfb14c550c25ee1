import { deferred, type Deferred } from './deferred';
import { GroupCommit } from './group-commit';

/** A writer whose batches end when the test says so, recording what it was given. */
function controlledWriter() {
  const batches: string[][] = [];
  const alone: string[] = [];
  const pending: Deferred<void>[] = [];
  const failing = new Set<string>();
  const commit = new GroupCommit<string, string>(
    async (items) => {
      batches.push([...items]);
      const done = deferred();
      pending.push(done);
      await done.promise;
      if (items.some((item) => failing.has(item))) throw new Error('batch refused');
      return items.map((item) => `${item}:together`);
    },
    async (item) => {
      alone.push(item);
      if (failing.has(item)) throw new Error(`${item} refused`);
      return `${item}:alone`;
    },
    3,
  );
  return { commit, batches, alone, pending, failing };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('writes a lone item at once, alone', async () => {
    const w = controlledWriter();
    await expect(w.commit.write('a')).resolves.toBe('a:alone');
    expect(w.alone).toEqual(['a']);
    expect(w.batches).toEqual([]);
  });

  it('writes items handed in together as one batch', async () => {
    const w = controlledWriter();
    const written = Promise.all([w.commit.write('a'), w.commit.write('b')]);
    await turn();
    expect(w.batches).toEqual([['a', 'b']]);
    w.pending[0].resolve();
    await expect(written).resolves.toEqual(['a:together', 'b:together']);
  });

  it('holds items handed in during a batch until it ends, then writes them together', async () => {
    const w = controlledWriter();
    const first = Promise.all([w.commit.write('a'), w.commit.write('b')]);
    await turn();
    const second = Promise.all([w.commit.write('c'), w.commit.write('d')]);
    await turn();
    await turn();
    // The first batch is still being written: the next one waits for it.
    expect(w.batches).toEqual([['a', 'b']]);
    w.pending[0].resolve();
    await first;
    await turn();
    expect(w.batches).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    w.pending[1].resolve();
    await expect(second).resolves.toEqual(['c:together', 'd:together']);
  });

  it('never puts more than maxBatchSize items in one batch', async () => {
    const w = controlledWriter();
    const written = Promise.all(['a', 'b', 'c', 'd', 'e'].map((item) => w.commit.write(item)));
    await turn();
    expect(w.batches).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
    for (const done of w.pending) done.resolve();
    await expect(written).resolves.toHaveLength(5);
  });

  it('writes each item of a refused batch alone: only the culprit fails', async () => {
    const w = controlledWriter();
    w.failing.add('b');
    const results = Promise.allSettled(['a', 'b', 'c'].map((item) => w.commit.write(item)));
    await turn();
    w.pending[0].resolve();
    const [a, b, c] = await results;
    expect(a).toEqual({ status: 'fulfilled', value: 'a:alone' });
    expect(b).toMatchObject({ status: 'rejected', reason: new Error('b refused') });
    expect(c).toEqual({ status: 'fulfilled', value: 'c:alone' });
    expect(w.alone).toEqual(['a', 'b', 'c']);
  });

  it('keeps writing after a failure', async () => {
    const w = controlledWriter();
    w.failing.add('a');
    await expect(w.commit.write('a')).rejects.toThrow('a refused');
    await expect(w.commit.write('b')).resolves.toBe('b:alone');
  });
});
