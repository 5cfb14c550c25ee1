import { ExotelConfigurationError } from 'nestjs-exotel';
import { exotelOptionsFrom } from './exotel-options.factory';
import { loadServiceConfig } from './service-config';

const valid = {
  EXOTEL_API_KEY: 'key',
  EXOTEL_API_TOKEN: 'token',
  EXOTEL_SID: 'acme',
  EXOTEL_WEBHOOK_SECRET: 'a-long-webhook-secret-1,another-long-secret-2',
  SERVICE_API_KEYS: 'a-long-management-key-1',
};

function problems(env: Record<string, string>): { path: string; problem: string; fix: string }[] {
  try {
    loadServiceConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ExotelConfigurationError);
    return [...(error as ExotelConfigurationError).problems];
  }
  throw new Error('expected the environment to be refused');
}

describe('loadServiceConfig', () => {
  it('runs the demo when no Exotel credential is set, on SQLite, with no Kafka', () => {
    const config = loadServiceConfig({});
    expect(config).toMatchObject({
      demo: true,
      database: { type: 'sqlite', path: './data/exotel.sqlite' },
      kafka: { brokers: [] },
      http: { port: 3000 },
    });
  });

  it('reads a full production environment', () => {
    const config = loadServiceConfig({
      ...valid,
      EXOTEL_SUBDOMAIN: 'api.in.exotel.com',
      EXOTEL_TEMPLATE_APPLET_APP_ID: '123456',
      EXOTEL_TEMPLATE_APPLETS: 'onboarding=234567, collections=345678',
      DATABASE_URL: 'postgres://svc:pw@db:5432/exotel',
      KAFKA_BROKERS: 'k1:9092,k2:9092',
      SUPPORT_PLAN: 'SME',
      PORT: '8080',
    });
    expect(config).toMatchObject({
      demo: false,
      exotel: {
        subdomain: 'api.in.exotel.com',
        defaultAppletId: '123456',
        templateApplets: { onboarding: '234567', collections: '345678' },
        webhookSecrets: ['a-long-webhook-secret-1', 'another-long-secret-2'],
      },
      database: { type: 'postgres', url: 'postgres://svc:pw@db:5432/exotel' },
      kafka: { brokers: ['k1:9092', 'k2:9092'], idempotent: true },
      supportPlan: 'sme',
      http: { port: 8080 },
    });
  });

  it('turns the idempotent producer off with KAFKA_IDEMPOTENT=false, and refuses other values', () => {
    expect(loadServiceConfig({ ...valid, KAFKA_IDEMPOTENT: 'false' }).kafka.idempotent).toBe(false);
    expect(problems({ ...valid, KAFKA_IDEMPOTENT: 'no' }).map((p) => p.path)).toEqual(['KAFKA_IDEMPOTENT']);
  });

  it('names EXOTEL_SID and how to fix it when only the API key is set', () => {
    const found = problems({ EXOTEL_API_KEY: 'key', EXOTEL_API_TOKEN: 'token' });
    const sid = found.find((p) => p.path === 'EXOTEL_SID');
    expect(sid?.problem).toContain('missing');
    expect(sid?.fix).toContain('account SID');
  });

  it('reports every problem of the environment at once', () => {
    const rest = problems({
      EXOTEL_API_KEY: 'key',
      EXOTEL_SUBDOMAIN: 'api.example.com',
      DATABASE_URL: 'mysql://x',
      SUPPORT_PLAN: 'gold',
      PORT: 'eighty',
      EXOTEL_TEMPLATE_APPLETS: 'broken',
      EXOTEL_WEBHOOK_SECRET: 'short',
    });
    expect(rest.map((p) => p.path).sort()).toEqual(
      [
        'DATABASE_URL',
        'EXOTEL_API_TOKEN',
        'EXOTEL_SID',
        'EXOTEL_SUBDOMAIN',
        'EXOTEL_TEMPLATE_APPLETS',
        'EXOTEL_WEBHOOK_SECRET',
        'PORT',
        'SERVICE_API_KEYS',
        'SUPPORT_PLAN',
      ].sort(),
    );
  });

  it('names EXOTEL_BASE_URL in one line when it is not an http(s) URL without credentials', () => {
    for (const [url, problem] of [
      ['not a url', 'is not a URL'],
      ['http//x', 'is not a URL'],
      ['ftp://files.example.com', 'must use http or https'],
      ['https://user:pw@api.exotel.com', 'must not contain credentials'],
    ]) {
      const found = problems({ ...valid, EXOTEL_BASE_URL: url });
      expect(found).toEqual([
        expect.objectContaining({ path: 'EXOTEL_BASE_URL', problem: expect.stringContaining(problem) }),
      ]);
    }
    expect(loadServiceConfig({ ...valid, EXOTEL_BASE_URL: 'http://127.0.0.1:4010' }).exotel.baseUrl).toBe(
      'http://127.0.0.1:4010',
    );
  });

  it('refuses Kafka brokers and an HTTP port outside 1-65535', () => {
    const found = problems({ ...valid, KAFKA_BROKERS: 'k1:9092,k2:65536,k3', PORT: '70000' });
    expect(found.map((p) => p.path).sort()).toEqual(['KAFKA_BROKERS', 'PORT']);
    const brokers = found.find((p) => p.path === 'KAFKA_BROKERS')!;
    expect(brokers.problem).toContain('"k2:65536", "k3" are not host:port with a port from 1 to 65535');
    expect(loadServiceConfig({ ...valid, KAFKA_BROKERS: 'k1:65535' }).kafka.brokers).toEqual(['k1:65535']);
  });

  it('reads the shutdown grace and delay, 25 s and none by default', () => {
    expect(loadServiceConfig(valid).shutdown).toEqual({ graceMs: 25_000, delayMs: 0 });
    expect(
      loadServiceConfig({ ...valid, SHUTDOWN_GRACE_MS: '10000', SHUTDOWN_DELAY_MS: '2000' }).shutdown,
    ).toEqual({
      graceMs: 10_000,
      delayMs: 2_000,
    });
    const found = problems({ ...valid, SHUTDOWN_GRACE_MS: '5000', SHUTDOWN_DELAY_MS: '5000' });
    expect(found.map((p) => p.path)).toEqual(['SHUTDOWN_DELAY_MS']);
    expect(problems({ ...valid, SHUTDOWN_GRACE_MS: 'soon' }).map((p) => p.path)).toEqual([
      'SHUTDOWN_GRACE_MS',
    ]);
  });

  it('shares the request budget through the database by default, through Redis with REDIS_URL', () => {
    expect(exotelOptionsFrom(loadServiceConfig(valid)).rateLimit).toMatchObject({ store: 'auto' });
    const redis = loadServiceConfig({
      ...valid,
      REDIS_URL: 'redis://:pw@cache:6379/2',
      RATE_LIMIT_STORE: 'redis',
    });
    expect(exotelOptionsFrom(redis).rateLimit).toMatchObject({
      store: 'redis',
      redisUrl: 'redis://:pw@cache:6379/2',
    });
    expect(problems({ ...valid, RATE_LIMIT_STORE: 'disk' }).map((p) => p.path)).toEqual(['RATE_LIMIT_STORE']);
  });
});
