import { ExotelSimulator } from 'exotel-simulator';
import { request as httpRequest } from 'node:http';
import { freePort, TEST_WEBHOOK_SECRET } from '../support/test-service';
import { until } from '../support/until';
import { createChildDatabase, ServiceChild, type ChildDatabase } from './support/service-child';

const API_KEY = 'shutdown-management-key-0123456789';
const CALLER_ID = '08047491899';
const CALLS = 30;

/** One POST /calls on a connection of its own, as a client would send it. */
function postCall(
  url: string,
  index: number,
): Promise<{ status: number; connection?: string; body: { status: string; outcome: string } }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({
      from: '+919876543210',
      to: `+9198123456${String(index).padStart(2, '0')}`,
    });
    const request = httpRequest(
      `${url}/calls`,
      {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${API_KEY}`,
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
        },
        // Keep-alive, so the service has to say `Connection: close` to be done with it.
        agent: false,
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode!,
            connection: response.headers.connection,
            body: JSON.parse(text),
          }),
        );
        response.on('error', reject);
      },
    );
    request.setHeader('Connection', 'keep-alive');
    request.on('error', reject);
    request.end(body);
  });
}

// Two service processes boot from TypeScript per test: minutes on a loaded machine, a hang guard.
jest.setTimeout(240_000);

describe('the service on SIGTERM (a real process)', () => {
  let simulator: ExotelSimulator;
  let database: ChildDatabase;
  let service: ServiceChild | undefined;
  let env: Record<string, string>;
  let port: number;

  beforeAll(async () => {
    simulator = new ExotelSimulator();
    const baseUrl = await simulator.start();
    database = await createChildDatabase();
    port = await freePort();
    env = {
      EXOTEL_API_KEY: simulator.apiKey,
      EXOTEL_API_TOKEN: simulator.apiToken,
      EXOTEL_SID: simulator.accountSid,
      EXOTEL_BASE_URL: baseUrl,
      EXOTEL_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      EXOTEL_CALLER_ID: CALLER_ID,
      SERVICE_API_KEYS: API_KEY,
      DATABASE_URL: database.url,
      SHUTDOWN_GRACE_MS: '20000',
    };
  });

  afterEach(async () => {
    await service?.kill();
    service = undefined;
    simulator.clearFaults();
  });

  afterAll(async () => {
    await simulator.stop();
    await database.drop();
  });

  it('fails readiness at once, answers every request in flight, then refuses connections and exits 0', async () => {
    service = await ServiceChild.start(port, { ...env, SHUTDOWN_DELAY_MS: '1500' });
    const url = service.url;
    // Calls/connect answers after 5 s: the calls are still in flight when the signal comes.
    simulator.injectFaults({ fault: { delayMs: 5_000 }, endpoints: ['connect'], count: CALLS });
    const connectsBefore = simulator.requests().filter((r) => r.endpoint === 'connect').length;
    const answers = Array.from({ length: CALLS }, (_, i) => postCall(url, i));
    await until(
      async () =>
        simulator.requests().filter((r) => r.endpoint === 'connect').length - connectsBefore >= CALLS,
    );

    service.signal('SIGTERM');
    // Readiness says so while connections are still taken (SHUTDOWN_DELAY_MS).
    const ready = await until(async () => {
      const response = await fetch(`${url}/health/ready`);
      return response.status === 503
        ? ((await response.json()) as { error: Record<string, unknown> })
        : undefined;
    });
    expect(ready.error.shutdown).toMatchObject({ status: 'down', reason: 'shutting down' });
    // Then the listener closes while the calls are still waiting for Exotel.
    await until(
      async () =>
        (await fetch(`${url}/health/live`).then(
          () => false,
          () => true,
        )) || undefined,
    );

    const settled = await Promise.allSettled(answers);
    const rejected = settled.filter((result) => result.status === 'rejected');
    expect(rejected).toEqual([]);
    const answered = settled.map(
      (result) => (result as PromiseFulfilledResult<Awaited<(typeof answers)[number]>>).value,
    );
    expect(answered.map((answer) => answer.status)).toEqual(Array(CALLS).fill(201));
    expect(answered.map((answer) => answer.body.outcome)).toEqual(Array(CALLS).fill('initiated'));
    expect(answered.every((answer) => answer.connection === 'close')).toBe(true);

    expect(await service.exited).toEqual({ code: 0, signal: null });
    const done = service.lines().find((line) => String(line.msg).includes('shut down in'));
    expect(done).toMatchObject({ signal: 'SIGTERM', cut: 0 });
    expect(done!.answered).toBeGreaterThanOrEqual(CALLS);
    expect(service.lines().filter((line) => line.level === 'error')).toEqual([]);
  });

  it('exits within the grace while a reconciliation pass waits on an unreachable Exotel', async () => {
    // Calls whose Calls/connect answer never came: unknown, for the reconciliation job to look up.
    service = await ServiceChild.start(port, {
      ...env,
      EXOTEL_CONNECT_TIMEOUT_MS: '500',
      EXOTEL_REQUEST_TIMEOUT_MS: '1500',
    });
    simulator.injectFaults({ fault: { hang: true, placeCall: false }, endpoints: ['connect'], count: 3 });
    const unknown = await Promise.all([0, 1, 2].map((i) => postCall(service!.url, i)));
    expect(unknown.map((answer) => answer.body.outcome)).toEqual(['unknown', 'unknown', 'unknown']);
    service.signal('SIGTERM');
    expect((await service.exited).code).toBe(0);

    // Exotel now answers nothing: every lookup hangs far past the 8 s grace (35 s, and retried).
    simulator.injectFaults({ fault: { hang: true }, endpoints: 'all', rate: 1 });
    const requestsBefore = simulator.requests().length;
    service = await ServiceChild.start(port, { ...env, SHUTDOWN_GRACE_MS: '8000' });
    await until(async () =>
      simulator
        .requests()
        .slice(requestsBefore)
        .some((r) => r.endpoint === 'call-details' || r.endpoint === 'bulk-calls'),
    );
    service.signal('SIGTERM');
    // 0: it shut down by itself; 1 would be the grace running out with the pass still awaited.
    expect(await service.exited).toEqual({ code: 0, signal: null });
    expect(service.lines().find((line) => String(line.msg).includes('shut down in'))).toMatchObject({
      cut: 0,
    });
  });
});
