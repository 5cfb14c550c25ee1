import { deferred, type Deferred } from './deferred';
import { GroupCommit } from './group-commit';

/** A writer whose batches end when the test says so, recording what it was given. */
function controlledWriter() {
  const batches: string[][] = [];
  const alone: string[] = [];
  const pending: Deferred<void>[] = [];
  const failing = new Set<string>();
  let down = false;
  const commit = new GroupCommit<string, string>({
    writeTogether: async (items) => {
      batches.push([...items]);
      const done = deferred();
      pending.push(done);
      await done.promise;
      if (down) throw new Error('database down');
      if (items.some((item) => failing.has(item))) throw new Error('batch refused');
      return items.map((item) => `${item}:together`);
    },
    writeAlone: async (item) => {
      alone.push(item);
      if (failing.has(item)) throw new Error(`${item} refused`);
      return `${item}:alone`;
    },
    splitOn: (error) => error instanceof Error && error.message === 'batch refused',
    maxBatchSize: 3,
  });
  return { commit, batches, alone, pending, failing, goDown: () => (down = true) };
}

/** A few turns of the event loop: enough for every batch that may go to have gone. */
const turns = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

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
    await turns();
    expect(w.batches).toEqual([['a', 'b']]);
    w.pending[0].resolve();
    await expect(written).resolves.toEqual(['a:together', 'b:together']);
  });

  it('holds items handed in during a batch until it ends, then writes them together', async () => {
    const w = controlledWriter();
    const first = Promise.all([w.commit.write('a'), w.commit.write('b')]);
    await turns();
    const second = Promise.all([w.commit.write('c'), w.commit.write('d')]);
    await turns();
    // The first batch is still being written: the next one waits for it.
    expect(w.batches).toEqual([['a', 'b']]);
    w.pending[0].resolve();
    await first;
    await turns();
    expect(w.batches).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    w.pending[1].resolve();
    await expect(second).resolves.toEqual(['c:together', 'd:together']);
  });

  it('never puts more than maxBatchSize items in one batch, and writes full batches one at a time', async () => {
    const w = controlledWriter();
    const written = Promise.all(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((item) => w.commit.write(item)));
    await turns();
    expect(w.batches).toEqual([['a', 'b', 'c']]);
    w.pending[0].resolve();
    await turns();
    expect(w.batches).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e', 'f'],
    ]);
    w.pending[1].resolve();
    await turns();
    // The last one is alone: written with writeAlone.
    expect(w.alone).toEqual(['g']);
    await expect(written).resolves.toEqual([
      'a:together',
      'b:together',
      'c:together',
      'd:together',
      'e:together',
      'f:together',
      'g:alone',
    ]);
  });

  it("answers every item with a batch's error that is nobody's in particular, without writing again", async () => {
    const w = controlledWriter();
    w.goDown();
    const results = Promise.allSettled(['a', 'b'].map((item) => w.commit.write(item)));
    await turns();
    w.pending[0].resolve();
    expect(await results).toEqual([
      { status: 'rejected', reason: new Error('database down') },
      { status: 'rejected', reason: new Error('database down') },
    ]);
    expect(w.alone).toEqual([]);
  });

  it('writes each item of a refused batch alone: only the culprit fails', async () => {
    const w = controlledWriter();
    w.failing.add('b');
    const results = Promise.allSettled(['a', 'b', 'c'].map((item) => w.commit.write(item)));
    await turns();
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
