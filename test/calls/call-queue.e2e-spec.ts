import { CallsService } from 'nestjs-exotel';
import {
  CallDispatcher,
  ExotelClock,
  ExotelDatabase,
  ManualClock,
  QueuedCallEntity,
} from 'nestjs-exotel/internal';
import { AGENT, CUSTOMER, startCallsHarness, type CallsHarness } from './calls-harness';

// 12:00 India time: inside TRAI's hours for promotional calls.
const NOON_IST = '2026-12-03T06:30:00Z';
// 22:00 India time: outside them (they open at 09:00 IST, 03:30Z, the next day).
const NIGHT_IST = '2026-12-03T16:30:00Z';

/** A batch as the API answers it, or an error (the fields the tests read). */
type BatchBody = {
  id: string;
  code?: string;
  total: number;
  eta: string | null;
  completedAt: string | null;
  details?: unknown;
  [key: string]: unknown;
};

// The durable call queue: calls stored as queued and placed by the dispatcher through the same
// never-twice path as POST /calls (jobs are off: the tests run the dispatcher's passes).
describe('The call queue (e2e)', () => {
  let h: CallsHarness;
  let clock: ManualClock;

  async function start(at: string, queue: Record<string, number> = {}) {
    clock = new ManualClock(at);
    h = await startCallsHarness({
      exotel: { calls: { queue: { concurrency: 2, ...queue } } },
      customize: (builder) => builder.overrideProvider(ExotelClock).useValue(clock),
    });
  }

  const dispatch = () => h.service.app.get(CallDispatcher).dispatch();
  const queued = () =>
    h.service.app.get(ExotelDatabase).read((m) => m.find(QueuedCallEntity, { order: { id: 'ASC' } }));
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${h.service.url}${path}`, {
      method,
      headers: { ...h.service.auth, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as BatchBody };
  };
  const numbers = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      from: `+9198765${String(43210 + i).padStart(5, '0')}`,
      to: AGENT,
    }));

  afterEach(async () => {
    await h?.close();
  });

  it('queues a batch all at once and places every call exactly once', async () => {
    await start(NOON_IST);
    const created = await api('POST', '/calls/batches', {
      calls: numbers(25),
      purpose: 'transactional',
      name: 'reminders',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      total: 25,
      counts: { queued: 25, placed: 0 },
      progress: 0,
      name: 'reminders',
    });
    expect(created.body.eta).not.toBeNull();
    expect(await h.events('call.queued')).toHaveLength(25);

    expect(await dispatch()).toBe(25);
    await h.service.app.get(CallsService).whenIdle();
    const batch = await api('GET', `/calls/batches/${created.body.id}`);
    expect(batch.body).toMatchObject({ counts: { queued: 0, placed: 25 }, progress: 1, eta: null });
    expect(batch.body.completedAt).not.toBeNull();
    expect(h.connects()).toHaveLength(25);
    expect(new Set(h.connects().map((r) => r.form?.From)).size).toBe(25);
    const completed = await h.events('call.batch.completed', created.body.id);
    expect(completed).toHaveLength(1);
    expect(completed[0].data).toMatchObject({ total: 25, placed: 25, cancelled: 0, failed: 0 });
    // A second pass finds nothing to place.
    expect(await dispatch()).toBe(0);
    expect(h.connects()).toHaveLength(25);
  });

  it('refuses a batch with bad calls as a whole, listing each of them', async () => {
    await start(NOON_IST);
    const calls = [
      ...numbers(3),
      { from: '12', to: AGENT },
      { from: CUSTOMER, to: AGENT, appletId: '1234' },
      { from: CUSTOMER, to: AGENT, wait: false },
    ];
    const refused = await api('POST', '/calls/batches', { calls, purpose: 'transactional' });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('CALL_BATCH_INVALID');
    const rows = (refused.body.details as { rows: { index: number; code: string }[] }).rows;
    // The DTO's own checks come first (the row with `wait`); the others are reported together.
    expect(rows.map((r) => r.index)).toEqual([5]);
    const again = await api('POST', '/calls/batches', { calls: calls.slice(0, 5), purpose: 'transactional' });
    expect(again.status).toBe(400);
    expect((again.body.details as { rows: { index: number; code: string }[] }).rows).toEqual([
      expect.objectContaining({ index: 3, code: 'INVALID_PHONE_NUMBER' }),
      expect.objectContaining({ index: 4, code: 'CALL_TARGET_CONFLICT' }),
    ]);
    expect(await queued()).toHaveLength(0);
    expect(await h.events('call.queued')).toHaveLength(0);
  });

  it('places transactional calls before promotional ones, oldest first', async () => {
    await start(NOON_IST, { concurrency: 1 });
    const calls = h.service.app.get(CallsService);
    const [p1, p2, t1, t2] = numbers(4);
    await calls.enqueue({ ...p1, purpose: 'promotional' });
    await calls.enqueue({ ...p2, purpose: 'promotional' });
    clock.advance(1_000);
    await calls.enqueue(t1);
    await calls.enqueue(t2);
    expect(await dispatch()).toBe(4);
    await calls.whenIdle();
    // In the order they were placed (recorded, before each Calls/connect left).
    const requested = (await h.events('call.requested')).map((e) => (e.data as { from: string }).from);
    expect(requested).toEqual([t1.from, t2.from, p1.from, p2.from]);
    expect(h.connects()).toHaveLength(4);
  });

  it('keeps promotional calls due at night for 09:00 IST, and places them then', async () => {
    await start(NIGHT_IST);
    const created = await api('POST', '/calls/batches', { calls: numbers(3), purpose: 'promotional' });
    expect(created.status).toBe(201);
    expect(await dispatch()).toBe(0);
    expect(h.connects()).toHaveLength(0);
    const waiting = await queued();
    expect(waiting.map((q) => [q.state, q.notBefore.toISOString()])).toEqual(
      Array(3).fill(['queued', '2026-12-04T03:30:00.000Z']),
    );
    clock.set('2026-12-04T03:30:00Z');
    expect(await dispatch()).toBe(3);
    await h.service.app.get(CallsService).whenIdle();
    expect(h.connects()).toHaveLength(3);
  });

  it('never places a queued call twice when its dispatcher stopped after placing it', async () => {
    await start(NOON_IST);
    const calls = h.service.app.get(CallsService);
    const view = await calls.enqueue({ from: CUSTOMER, to: AGENT });
    // A dispatcher claims it, places it, and stops before recording that it did.
    const [claimed] = await queued();
    await calls.place(claimed.input, { idempotencyKey: claimed.idempotencyKey });
    expect(h.connects()).toHaveLength(1);
    // Another dispatcher takes it up (no claim held now) and finds the call under its key.
    expect(await dispatch()).toBe(1);
    const [settled] = await queued();
    expect(settled).toMatchObject({ id: view.id, state: 'placed' });
    expect((await calls.get(settled.callId!)).outcome).toBe('initiated');
    expect(h.connects()).toHaveLength(1);
    expect(await h.events('call.requested')).toHaveLength(1);
  });

  it('leaves a claimed call to its dispatcher until the claim lapses', async () => {
    await start(NOON_IST, { claimMs: 60_000 });
    const calls = h.service.app.get(CallsService);
    await calls.enqueue({ from: CUSTOMER, to: AGENT });
    const queue = h.service.app.get(CallDispatcher)['queue'] as {
      claim(n: number): Promise<QueuedCallEntity[]>;
    };
    expect(await queue.claim(5)).toHaveLength(1);
    expect(await dispatch()).toBe(0);
    clock.advance(60_001);
    expect(await dispatch()).toBe(1);
    await calls.whenIdle();
    expect(h.connects()).toHaveLength(1);
  });

  it('cancels the calls of a batch still queued, and completes it', async () => {
    await start(NOON_IST);
    const later = new Date(Date.parse(NOON_IST) + 3_600_000).toISOString();
    const created = await api('POST', '/calls/batches', {
      calls: numbers(4),
      purpose: 'transactional',
      notBefore: later,
    });
    expect(await dispatch()).toBe(0);
    const cancelled = await api('POST', `/calls/batches/${created.body.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ counts: { queued: 0, cancelled: 4 }, progress: 1 });
    clock.advance(7_200_000);
    expect(await dispatch()).toBe(0);
    expect(h.connects()).toHaveLength(0);
    const completed = await h.events('call.batch.completed', created.body.id);
    expect(completed.map((e) => e.data)).toEqual([expect.objectContaining({ cancelled: 4, placed: 0 })]);
  });

  it('answers an unknown batch with 404 and a bad one with 400, queueing nothing', async () => {
    await start(NOON_IST);
    expect((await api('GET', '/calls/batches/01HZZZZZZZZZZZZZZZZZZZZZZZ')).body.code).toBe(
      'CALL_BATCH_NOT_FOUND',
    );
    const empty = await api('POST', '/calls/batches', { calls: [], purpose: 'transactional' });
    expect([empty.status, empty.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const future = await api('POST', '/calls/batches', {
      calls: numbers(1),
      purpose: 'transactional',
      notBefore: '2027-06-01T00:00:00Z',
    });
    expect(future.status).toBe(400);
    expect(await queued()).toHaveLength(0);
  });
});
