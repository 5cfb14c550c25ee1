import { randomBytes } from 'node:crypto';
import { Test, type TestingModule } from '@nestjs/testing';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import {
  ExotelBudgetUnavailableError,
  ExotelClient,
  ExotelModule,
  ExotelRateLimitError,
  RequestBudgetHealthIndicator,
  type ExotelModuleOptions,
} from 'nestjs-exotel';
import { ExotelRateBudget } from 'nestjs-exotel/internal';
import { CALL } from '../support/scripted-exotel-client';
import { ScriptedServer } from '../support/scripted-server';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { TEST_CREDENTIALS, TEST_MANAGEMENT, TEST_WEBHOOKS, typeOrmFor } from '../support/test-modules';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

// Two replicas of one account: two module instances on one database (or one Redis), as two pods.
describe.each([
  ['the database (PostgreSQL)', { store: 'auto' as const }],
  ['Redis', { store: 'redis' as const, redisUrl: REDIS_URL }],
])('A request budget shared through %s', (_name, store) => {
  let database: TestDatabase;
  let server: ScriptedServer;
  let accountSid: string;
  const replicas: TestingModule[] = [];

  async function replica(rateLimit: ExotelModuleOptions['rateLimit'] = {}): Promise<TestingModule> {
    const moduleRef = await Test.createTestingModule({
      imports: [
        typeOrmFor(database),
        ExotelModule.forRoot({
          credentials: { ...TEST_CREDENTIALS, accountSid },
          baseUrl: server.url,
          jobs: { enabled: false },
          management: TEST_MANAGEMENT,
          webhooks: TEST_WEBHOOKS,
          rateLimit: { ...store, ...rateLimit },
        }),
      ],
    }).compile();
    await moduleRef.init();
    replicas.push(moduleRef);
    return moduleRef;
  }

  beforeEach(async () => {
    database = await createTestDatabase('postgres');
    server = await new ScriptedServer(() => ({ status: 200, body: CALL })).start();
    // Its own account, so runs sharing the Redis server never count each other's requests.
    accountSid = `budget-${randomBytes(4).toString('hex')}`;
  });

  afterEach(async () => {
    await Promise.all(replicas.splice(0).map((r) => r.close()));
    await server.stop();
    await database.drop();
  });

  it('grants the account its whole limit once, whichever replica asks', async () => {
    const limits = { voiceRequestsPerMinute: 12, maxWaitMs: 0 };
    const [a, b, c] = await Promise.all([replica(limits), replica(limits), replica(limits)]);
    const budgets = [a, b, c].map((r) => r.get(ExotelRateBudget));
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) => budgets[i % 3].take('voice', 'POST', '/Calls/connect')),
    );
    const granted = results.filter((r) => r.status === 'fulfilled');
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    // 12 in the minute across the three, each of them able to use all of it.
    expect(granted).toHaveLength(12);
    expect(refused).toHaveLength(18);
    expect(refused.every((e) => e instanceof ExotelRateLimitError && e.source === 'local')).toBe(true);
  });

  it('lets one replica use the whole budget when it is the only one asking', async () => {
    const lone = await replica({ voiceRequestsPerMinute: 20, maxWaitMs: 0 });
    await replica({ voiceRequestsPerMinute: 20, maxWaitMs: 0 });
    const budget = lone.get(ExotelRateBudget);
    for (let i = 0; i < 20; i++) await budget.take('voice', 'POST', '/Calls/connect');
    await expect(budget.take('voice', 'POST', '/Calls/connect')).rejects.toBeInstanceOf(ExotelRateLimitError);
  });

  it('keeps the voice and ExoPhone-details budgets apart', async () => {
    const r = await replica({ voiceRequestsPerMinute: 1, exophoneDetailsPerMinute: 1, maxWaitMs: 0 });
    const budget = r.get(ExotelRateBudget);
    await budget.take('voice', 'POST', '/Calls/connect');
    await budget.take('exophoneDetails', 'GET', '/IncomingPhoneNumbers/x');
    await expect(budget.take('voice', 'POST', '/Calls/connect')).rejects.toBeInstanceOf(ExotelRateLimitError);
  });

  it('waits for room as the window slides, then sends', async () => {
    // 2 per 1.5 s: the third waits for the first to leave the window, without failing.
    const r = await replica({ voiceRequestsPerMinute: 2, periodMs: 1_500, maxWaitMs: 5_000 });
    const client = r.get(ExotelClient);
    const calls = await Promise.all(
      [1, 2, 3].map(() =>
        client.connectCall({ from: '+919876543210', to: '+919812345678', callerId: '08047491899' }),
      ),
    );
    expect(calls).toHaveLength(3);
    expect(server.requests).toHaveLength(3);
    expect(r.get(RequestBudgetHealthIndicator).check()).toEqual({
      requestBudget: { status: 'up', store: store.store === 'redis' ? 'redis' : 'database' },
    });
  });
});

describe('An unreachable request budget store', () => {
  let database: TestDatabase;
  let server: ScriptedServer;
  let moduleRef: TestingModule | undefined;

  beforeEach(async () => {
    database = await createTestDatabase('postgres');
    server = await new ScriptedServer(() => ({ status: 200, body: CALL })).start();
  });

  afterEach(async () => {
    await moduleRef?.close();
    await server.stop();
    await database.drop();
  });

  async function boot(rateLimit: ExotelModuleOptions['rateLimit']): Promise<TestingModule> {
    moduleRef = await Test.createTestingModule({
      imports: [
        typeOrmFor(database),
        ExotelModule.forRoot({
          credentials: TEST_CREDENTIALS,
          baseUrl: server.url,
          jobs: { enabled: false },
          management: TEST_MANAGEMENT,
          webhooks: TEST_WEBHOOKS,
          rateLimit,
        }),
      ],
    }).compile();
    await moduleRef.init();
    return moduleRef;
  }

  it('fails requests unsent with a typed error and degrades readiness, never counting per process', async () => {
    const r = await boot({ store: 'redis', redisUrl: 'redis://127.0.0.1:1', storeTimeoutMs: 300 });
    const client = r.get(ExotelClient);
    const failure = await client
      .connectCall({ from: '+919876543210', to: '+919812345678', callerId: '08047491899' })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ExotelBudgetUnavailableError);
    expect((failure as ExotelBudgetUnavailableError).code).toBe('EXOTEL_BUDGET_UNAVAILABLE');
    expect(server.requests).toHaveLength(0);
    expect(r.get(RequestBudgetHealthIndicator).check().requestBudget).toMatchObject({
      status: 'degraded',
      store: 'redis',
    });
  });

  it('recovers once the store answers again', async () => {
    const r = await boot({ store: 'database', maxWaitMs: 0 });
    const client = r.get(ExotelClient);
    const call = () =>
      client.connectCall({ from: '+919876543210', to: '+919812345678', callerId: '08047491899' });
    const dataSource = r.get(DataSource);
    // The store's table out of reach, as in an outage of the store.
    await dataSource.query('ALTER TABLE exotel_rate_budgets RENAME TO exotel_rate_budgets_away');
    await expect(call()).rejects.toBeInstanceOf(ExotelBudgetUnavailableError);
    expect(r.get(RequestBudgetHealthIndicator).check().requestBudget.status).toBe('degraded');
    await dataSource.query('ALTER TABLE exotel_rate_budgets_away RENAME TO exotel_rate_budgets');
    await call();
    expect(server.requests).toHaveLength(1);
    expect(r.get(RequestBudgetHealthIndicator).check()).toEqual({
      requestBudget: { status: 'up', store: 'database' },
    });
  });

  it('names the account in Redis by a hash, never by its SID', async () => {
    const accountSid = `budget-${randomBytes(4).toString('hex')}`;
    moduleRef = await Test.createTestingModule({
      imports: [
        typeOrmFor(database),
        ExotelModule.forRoot({
          credentials: { ...TEST_CREDENTIALS, accountSid },
          baseUrl: server.url,
          jobs: { enabled: false },
          management: TEST_MANAGEMENT,
          webhooks: TEST_WEBHOOKS,
          rateLimit: { store: 'redis', redisUrl: REDIS_URL },
        }),
      ],
    }).compile();
    await moduleRef.init();
    await moduleRef.get(ExotelRateBudget).take('voice', 'POST', '/Calls/connect');
    const redis = new Redis(REDIS_URL);
    try {
      const keys = await redis.keys('exotel:*');
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.some((k) => k.includes(accountSid))).toBe(false);
    } finally {
      redis.disconnect();
    }
  });
});
