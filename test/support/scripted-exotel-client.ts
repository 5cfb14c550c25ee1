import { Test, type TestingModule } from '@nestjs/testing';
import { ExotelClient } from '../../libs/exotel/src/client/exotel-client';
import { ExotelModule } from '../../libs/exotel/src/exotel.module';
import type { ExotelModuleOptions } from '../../libs/exotel/src/options/exotel-module-options.interface';
import { captureLogs } from './capture-logs';
import { ScriptedServer, type Script } from './scripted-server';
import { createTestDatabase, type TestDatabase } from './test-database';
import { TEST_CREDENTIALS, TEST_MANAGEMENT, TEST_WEBHOOKS, typeOrmFor } from './test-modules';

// ExotelClient against a ScriptedServer, for the client's specs (libs/exotel/src/client/): a spec
// calls useScriptedClient() in its describe, then boot(script) in each test, and reads the exported
// bindings `server`, `client` and `logs`, which follow the test in progress.

export const CALL = {
  Call: {
    Sid: 'c5797dcbaaeed7678c4062a4a3ed2f8a',
    ParentCallSid: null,
    DateCreated: '2026-11-23 10:48:33',
    DateUpdated: '2026-11-23 10:48:33',
    AccountSid: TEST_CREDENTIALS.accountSid,
    To: '09812345678',
    From: '09876543210',
    PhoneNumberSid: '08047491899',
    Status: 'in-progress',
    StartTime: '2026-11-23 10:48:33',
    EndTime: null,
    Duration: null,
    Price: null,
    Direction: 'outbound-api',
    AnsweredBy: null,
    ForwardedFrom: null,
    CallerName: null,
    Uri: `/v1/Accounts/${TEST_CREDENTIALS.accountSid}/Calls/c5797dcbaaeed7678c4062a4a3ed2f8a.json`,
    RecordingUrl: null,
  },
};

export const CONNECT = { from: '+919876543210', to: '+919812345678', callerId: '08047491899' };

export let server: ScriptedServer;
export let client: ExotelClient;
export const logs = captureLogs();
let database: TestDatabase;
let moduleRef: TestingModule | undefined;

/** Boots the module against the scripted server (or `baseUrl`), short timeouts and retries. */
export async function boot(
  script: Script,
  overrides: Partial<ExotelModuleOptions> = {},
  baseUrl?: string,
): Promise<void> {
  server.use(script);
  moduleRef = await Test.createTestingModule({
    imports: [
      typeOrmFor(database),
      ExotelModule.forRoot({
        credentials: TEST_CREDENTIALS,
        baseUrl: baseUrl ?? server.url,
        jobs: { enabled: false },
        management: TEST_MANAGEMENT,
        webhooks: TEST_WEBHOOKS,
        timeouts: { connectMs: 500, requestMs: 1_000 },
        retry: { maxRetries: 2, baseDelayMs: 10, maxDelayMs: 50 },
        ...overrides,
      }),
    ],
  }).compile();
  moduleRef.useLogger(logs.nest);
  await moduleRef.init();
  client = moduleRef.get(ExotelClient);
}

/** A database and a scripted server for each test, and everything closed after it. */
export function useScriptedClient(): void {
  beforeEach(async () => {
    database = await createTestDatabase();
    server = await new ScriptedServer(() => ({ status: 200, body: CALL })).start();
  });

  afterEach(async () => {
    await moduleRef?.close();
    await server.stop();
    await database.drop();
  });
}
