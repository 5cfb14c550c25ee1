import { ExotelShutdown } from 'nestjs-exotel';
import { ExoPhoneInventory } from 'nestjs-exotel/internal';
import { startTestService, type TestService } from '../support/test-service';
import { until } from '../support/until';

const CALLER_ID = '08047491899';

// A call waiting for room in the Exotel request budget when SIGTERM comes must not hold the
// shutdown for the budget's wait (30 s by default, past the grace): it stops waiting, is recorded
// as failed with nothing sent, and its client gets that answer.
describe('a call waiting for the request budget at shutdown', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({
      env: { EXOTEL_CALLER_ID: CALLER_ID },
      overrides: {
        exotel: {
          jobs: { enabled: false },
          calls: { defaultCallerId: CALLER_ID },
          // One Calls/connect per 20 s: the second call waits about 20 s for room, within maxWaitMs.
          rateLimit: { voiceRequestsPerMinute: 1, periodMs: 20_000 },
        },
      },
    });
    await service.app.get(ExoPhoneInventory).sync();
  });

  afterAll(async () => {
    await service.close();
  });

  const post = (to: string) =>
    fetch(`${service.url}/calls`, {
      method: 'POST',
      headers: { ...service.auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ from: '+919876543210', to }),
    }).then(async (response) => ({
      status: response.status,
      body: (await response.json()) as { outcome: string; outcomeReason: string | null },
    }));
  const connects = () => service.simulator.requests().filter((r) => r.endpoint === 'connect').length;

  it('is answered at once with its recorded outcome, failed and not sent', async () => {
    expect((await post('+919812345678')).body.outcome).toBe('initiated');
    const waiting = post('+919812345679');
    // Recorded, and waiting for room: nothing sent yet.
    await until(async () => {
      const response = await fetch(`${service.url}/calls`, { headers: service.auth });
      return ((await response.json()) as { items: unknown[] }).items.length === 2;
    });
    expect(connects()).toBe(1);

    service.app.get(ExotelShutdown).begin();
    const answer = await waiting;
    expect(answer.status).toBe(201);
    expect(answer.body.outcome).toBe('failed');
    expect(answer.body.outcomeReason).toContain(
      'shut down while the call waited for room in the request budget',
    );
    expect(connects()).toBe(1);
  });
});
