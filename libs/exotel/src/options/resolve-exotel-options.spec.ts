import { ExotelConfigurationError } from '../errors/exotel-configuration.error';
import type { MountedController } from './mounted-controller';
import { resolveExotelOptions } from './resolve-exotel-options';

const credentials = { apiKey: 'key', apiToken: 'token', accountSid: 'acme' };

function problemsOf(
  input: unknown,
  mounted: MountedController[] = [],
): { path: string; problem: string; fix: string }[] {
  try {
    resolveExotelOptions(input, mounted);
  } catch (error) {
    expect(error).toBeInstanceOf(ExotelConfigurationError);
    return [...(error as ExotelConfigurationError).problems];
  }
  throw new Error('expected the options to be refused');
}

const HEARTBEAT_AND_CALLS: MountedController[] = [
  { name: 'heartbeat', kind: 'webhook', path: 'exotel/heartbeat', controller: class {}, readsOwnBody: true },
  { name: 'calls', kind: 'management', path: 'calls', controller: class {}, readsOwnBody: false },
];

describe('resolveExotelOptions', () => {
  it('applies the documented defaults', () => {
    const options = resolveExotelOptions({ credentials });
    expect(options).toMatchObject({
      subdomain: 'api.exotel.com',
      baseUrl: 'https://api.exotel.com',
      timeouts: { connectMs: 5000, requestMs: 35000 },
      rateLimit: { voiceRequestsPerMinute: 200, exophoneDetailsPerMinute: 50, maxWaitMs: 30000 },
      retry: { maxRetries: 3 },
      arrayEncoding: 'brackets',
      applets: { templates: {} },
      webhooks: { secrets: [] },
      management: { apiKeys: [] },
      jobs: { enabled: true },
      support: {
        plan: 'enterprise',
        warningFraction: 0.75,
        openTicketsForIncidents: false,
        checkIntervalMs: 30000,
        policyVersions: [],
      },
    });
  });

  it('parses support policy versions and completes their coverage from Exotel’s', () => {
    const targets = { acknowledgementMinutes: 15, responseMinutes: 60 };
    const options = resolveExotelOptions({
      credentials,
      support: {
        plan: 'sme',
        policyVersions: [
          {
            id: 'contract-2027',
            effectiveFrom: '2027-01-01T00:00:00+05:30',
            targets: { 1: targets, 2: targets, 3: targets, 4: targets },
            coverage: { sme: { kind: 'always' } },
          },
        ],
      },
    });
    const [version] = options.support.policyVersions;
    expect(version.effectiveFrom).toEqual(new Date('2026-12-31T18:30:00Z'));
    expect(version.coverage).toEqual({
      enterprise: { kind: 'always' },
      sme: { kind: 'always' },
      smb: { kind: 'daily', timeZone: 'Asia/Kolkata', from: '08:00', to: '22:00' },
    });
  });

  it('reports every bad support option with a fix', () => {
    const good = { acknowledgementMinutes: 30, responseMinutes: 120 };
    const problems = problemsOf({
      credentials,
      support: {
        plan: 'gold',
        warningFraction: 1.5,
        policyVersions: [
          {
            id: 'v2',
            effectiveFrom: 'next year',
            targets: { 1: good, 2: good, 3: good, 4: { acknowledgementMinutes: 0, responseMinutes: 60 } },
            coverage: { smb: { kind: 'daily', timeZone: 'Mars/Olympus', from: '08:00', to: '22:00' } },
          },
        ],
      },
    });
    expect(problems.map((p) => p.path).sort()).toEqual([
      'support.plan',
      'support.policyVersions.0.coverage.smb',
      'support.policyVersions.0.effectiveFrom',
      'support.policyVersions.0.targets.4.acknowledgementMinutes',
      'support.warningFraction',
    ]);
    expect(problems.find((p) => p.path.endsWith('smb'))?.problem).toContain('Mars/Olympus');
  });

  it('derives the base URL from the Mumbai subdomain and lets baseUrl override it', () => {
    expect(resolveExotelOptions({ credentials, subdomain: 'api.in.exotel.com' }).baseUrl).toBe(
      'https://api.in.exotel.com',
    );
    expect(resolveExotelOptions({ credentials, baseUrl: 'http://127.0.0.1:4010/' }).baseUrl).toBe(
      'http://127.0.0.1:4010',
    );
  });

  it('returns a deeply frozen object', () => {
    const options = resolveExotelOptions({ credentials, applets: { templates: { a: '1' } } });
    expect(Object.isFrozen(options)).toBe(true);
    expect(Object.isFrozen(options.credentials)).toBe(true);
    expect(Object.isFrozen(options.applets.templates)).toBe(true);
  });

  it('reports every bad field at once, each with a fix', () => {
    const problems = problemsOf({
      credentials: { apiKey: '', apiToken: 'token' },
      subdomain: 'api.example.com',
      baseUrl: 'https://user:pass@api.exotel.com',
      timeouts: { connectMs: -1, requestMs: 1.5 },
      rateLimit: { voiceRequestsPerMinute: 0 },
      arrayEncoding: 'json',
      applets: { defaultAppId: 'abc', templates: { onboarding: 'x1' } },
      webhooks: { secrets: ['short'] },
      surprise: true,
    });
    const paths = problems.map((p) => p.path).sort();
    expect(paths).toEqual(
      [
        'applets.defaultAppId',
        'applets.templates.onboarding',
        'arrayEncoding',
        'baseUrl',
        'credentials.accountSid',
        'credentials.apiKey',
        'rateLimit.voiceRequestsPerMinute',
        'subdomain',
        'surprise',
        'timeouts.connectMs',
        'timeouts.requestMs',
        'webhooks.secrets.0',
      ].sort(),
    );
    for (const problem of problems) expect(problem.fix.length).toBeGreaterThan(10);
  });

  it('names baseUrl once, as a configuration problem, when it is not a URL at all', () => {
    for (const baseUrl of ['not a url', 'http//x']) {
      expect(problemsOf({ credentials, baseUrl })).toEqual([
        expect.objectContaining({ path: 'baseUrl', problem: 'is not a URL' }),
      ]);
    }
  });

  it('refuses a Kafka broker whose port is not a TCP port', () => {
    const problems = problemsOf({ credentials, events: { kafka: { brokers: ['k1:9092', 'k2:70000'] } } });
    expect(problems).toEqual([
      expect.objectContaining({ path: 'events.kafka.brokers.1', problem: expect.stringContaining('65535') }),
    ]);
  });

  it('refuses a connect timeout that is not shorter than the request timeout', () => {
    const problems = problemsOf({ credentials, timeouts: { connectMs: 40000, requestMs: 35000 } });
    expect(problems).toEqual([
      expect.objectContaining({ path: 'timeouts', problem: 'connectMs must be shorter than requestMs' }),
    ]);
  });

  it('requires a webhook secret when a webhook controller is mounted, and an API key for management controllers', () => {
    const problems = problemsOf({ credentials }, HEARTBEAT_AND_CALLS);
    expect(problems.map((p) => p.path)).toEqual(['webhooks.secrets', 'management.apiKeys']);
    expect(problems[0].problem).toContain('heartbeat');
  });

  it('reports missing secrets and keys in the same pass as bad fields', () => {
    const problems = problemsOf(
      { credentials: { apiKey: 'k' }, timeouts: { connectMs: -1 } },
      HEARTBEAT_AND_CALLS,
    );
    expect(problems.map((p) => p.path)).toEqual(
      expect.arrayContaining([
        'credentials.apiToken',
        'credentials.accountSid',
        'timeouts.connectMs',
        'webhooks.secrets',
        'management.apiKeys',
      ]),
    );
  });

  it('derives the status callback URL from webhooks.publicBaseUrl and the mounted route', () => {
    const secret = 'a-webhook-secret-of-32-characters&+';
    const mounted: MountedController[] = [
      {
        name: 'statusCallbacks',
        kind: 'webhook',
        path: 'hooks/status',
        controller: class {},
        readsOwnBody: true,
      },
    ];
    const webhooks = { secrets: [secret], publicBaseUrl: 'https://api.example.com/base/' };
    expect(resolveExotelOptions({ credentials, webhooks }, mounted).calls.statusCallbackUrl).toBe(
      `https://api.example.com/base/hooks/status?key=${encodeURIComponent(secret)}`,
    );
    // An explicit URL wins; without the route mounted nothing is derived.
    const explicit = 'https://elsewhere.example.com/status?key=x';
    expect(
      resolveExotelOptions({ credentials, webhooks, calls: { statusCallbackUrl: explicit } }, mounted).calls
        .statusCallbackUrl,
    ).toBe(explicit);
    expect(resolveExotelOptions({ credentials, webhooks }, []).calls.statusCallbackUrl).toBeUndefined();
    expect(
      problemsOf({ credentials, webhooks: { publicBaseUrl: 'ftp://x.example.com?a=1' } }).map((p) => p.path),
    ).toEqual(['webhooks.publicBaseUrl']);
  });

  it('names the whole options object when nothing was passed', () => {
    expect(problemsOf(undefined)).toEqual([
      expect.objectContaining({ path: '(options)', problem: 'options are missing' }),
    ]);
  });

  it('puts every problem in the error message', () => {
    expect(() => resolveExotelOptions({ credentials: { apiKey: 'k' } })).toThrow(
      /2 problems[\s\S]*credentials\.apiToken: the API token is missing[\s\S]*credentials\.accountSid/,
    );
  });
});
