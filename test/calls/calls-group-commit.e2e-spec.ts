import { CallsService, ExoPhoneHealthService } from 'nestjs-exotel';
import { ExotelDatabase } from 'nestjs-exotel/internal';
import { AGENT, CUSTOMER, startCallsHarness, type CallsHarness } from './calls-harness';

// Concurrent calls share transactions (group commit): what each call records, sends and publishes
// is exactly what it would alone.
describe('CallsService under concurrent calls (e2e)', () => {
  let h: CallsHarness;
  afterEach(async () => {
    await h?.close();
  });

  it('records and settles concurrent calls in shared transactions, each exactly once', async () => {
    // Without Exotel's rate limits (ours and the simulator's), so all twenty are in flight at once.
    h = await startCallsHarness({
      simulator: { rateLimits: false },
      exotel: { rateLimit: { voiceRequestsPerMinute: 100_000 } },
    });
    const calls = h.service.app.get(CallsService);
    let commits = 0;
    const unsubscribe = h.service.app.get(ExotelDatabase).onCommit(() => commits++);
    const placed = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        calls.connect({ from: CUSTOMER, to: AGENT, customField: `burst-${i}` }),
      ),
    );
    unsubscribe();

    // Alone, each call commits twice (recorded, then settled).
    expect(commits).toBeLessThan(2 * placed.length);
    expect(placed.map((call) => call.outcome)).toEqual(Array(20).fill('initiated'));
    expect(new Set(placed.map((call) => call.callSid)).size).toBe(20);
    expect(h.connects()).toHaveLength(20);
    expect(h.simulator.calls()).toHaveLength(20);
    for (const call of placed) {
      const stored = await calls.get(call.id);
      expect(stored).toMatchObject({ outcome: 'initiated', callSid: call.callSid, status: 'initiated' });
      const events = [
        ...(await h.events('call.requested', call.id)),
        ...(await h.events('call.initiated', call.id)),
      ];
      expect(events.map((e) => [e.type, e.sequence])).toEqual([
        ['call.requested', 1],
        ['call.initiated', 2],
      ]);
      expect(events[1].data).toMatchObject({ callId: call.id, callSid: call.callSid });
    }
  });

  it('a call refused inside a shared transaction fails alone: the others are recorded and placed', async () => {
    h = await startCallsHarness();
    const calls = h.service.app.get(CallsService);
    // Two requests with one idempotency key in the same batch: the second insert breaks the key,
    // so the batch is written again call by call and the second becomes a replay of the first.
    const keyed = { idempotencyKey: 'shared-key' };
    const results = await Promise.all([
      calls.place({ from: CUSTOMER, to: AGENT }, keyed),
      ...Array.from({ length: 5 }, (_, i) =>
        calls.place({ from: CUSTOMER, to: AGENT, customField: `other-${i}` }),
      ),
      calls.place({ from: CUSTOMER, to: AGENT }, keyed),
    ]);
    const [first, ...rest] = results;
    const last = rest.pop()!;
    expect(first.replayed).toBe(false);
    expect(last).toMatchObject({ replayed: true, call: { id: first.call.id, callSid: first.call.callSid } });
    for (const { call, replayed } of [first, ...rest]) {
      expect(replayed).toBe(false);
      expect(call.outcome).toBe('initiated');
    }
    // One Calls/connect per distinct call: six, not seven.
    expect(h.connects()).toHaveLength(6);
    expect(await h.events('call.requested')).toHaveLength(6);
    expect(await h.events('call.initiated')).toHaveLength(6);
  });

  it('concurrent calls from one caller id share one read of its health; a later call reads again', async () => {
    h = await startCallsHarness();
    const health = h.service.app.get(ExoPhoneHealthService);
    const [phone] = h.simulator.exoPhones();
    const [a, b] = await Promise.all([
      health.pickCallerId(phone.phoneNumber, 'outgoing'),
      health.pickCallerId(phone.phoneNumber, 'outgoing'),
    ]);
    expect(b).toBe(a);
    expect(a).toMatchObject({ rule: 'preferred', chosenPhoneNumber: phone.phoneNumber });
    const later = await health.pickCallerId(phone.phoneNumber, 'outgoing');
    expect(later).not.toBe(a);
    expect(later).toEqual(a);
    // Another direction is another read.
    const [outgoing, incoming] = await Promise.all([
      health.pickCallerId(phone.phoneNumber, 'outgoing'),
      health.pickCallerId(phone.phoneNumber, 'incoming'),
    ]);
    expect(incoming).not.toBe(outgoing);
  });
});
