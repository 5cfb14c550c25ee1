import { MemoryBudgetStore } from './memory-budget-store';

describe('MemoryBudgetStore', () => {
  let now: number;
  const store = () => new MemoryBudgetStore(() => now);

  beforeEach(() => {
    now = 1_000_000;
  });

  it('grants the whole limit at once, then refuses until the oldest grant leaves the window', async () => {
    const budget = store();
    const verdicts = [];
    for (let i = 0; i < 5; i++) verdicts.push(await budget.take('voice', 5, 60_000));
    expect(verdicts.every((v) => v.granted)).toBe(true);
    expect(await budget.take('voice', 5, 60_000)).toEqual({ granted: false, retryInMs: 60_000 });
    now += 59_999;
    expect(await budget.take('voice', 5, 60_000)).toEqual({ granted: false, retryInMs: 1 });
    now += 1;
    expect(await budget.take('voice', 5, 60_000)).toEqual({ granted: true });
  });

  it('keeps any sliding window within the limit when grants are spread out', async () => {
    const budget = store();
    const granted: number[] = [];
    // 3 per 10 s, asked for every second for a minute.
    for (let t = 0; t < 60; t++, now += 1_000) {
      if ((await budget.take('k', 3, 10_000)).granted) granted.push(now);
    }
    for (const start of granted) {
      expect(granted.filter((t) => t >= start && t < start + 10_000).length).toBeLessThanOrEqual(3);
    }
    // ...and uses it all: 3 in every 10 s, 18 in the minute.
    expect(granted).toHaveLength(18);
  });

  it('says when room comes back for the grant that must leave', async () => {
    const budget = store();
    await budget.take('k', 2, 10_000);
    now += 4_000;
    await budget.take('k', 2, 10_000);
    now += 1_000;
    expect(await budget.take('k', 2, 10_000)).toEqual({ granted: false, retryInMs: 5_000 });
  });

  it('counts each budget on its own', async () => {
    const budget = store();
    expect((await budget.take('a', 1, 10_000)).granted).toBe(true);
    expect((await budget.take('b', 1, 10_000)).granted).toBe(true);
    expect((await budget.take('a', 1, 10_000)).granted).toBe(false);
  });
});
