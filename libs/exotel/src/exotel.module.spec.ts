import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import {
  TEST_CREDENTIALS,
  TEST_MANAGEMENT,
  TEST_WEBHOOKS,
  typeOrmFor,
} from '../../../test/support/test-modules';
import { ExotelClient } from './client/exotel-client';
import { ExotelConfigurationError } from './errors/exotel-configuration.error';
import { EventPublisher } from './events/event-publisher';
import { EXOTEL_OPTIONS } from './exotel.constants';
import { ExotelModule } from './exotel.module';
import type { ExotelOptionsFactory } from './exotel.module-definition';
import { ExotelClock } from './jobs/exotel-clock';
import { ExotelScheduler } from './jobs/exotel-scheduler';
import { ExotelMetrics } from './metrics/exotel-metrics';
import type { ExotelModuleOptions, ResolvedExotelOptions } from './options/exotel-module-options.interface';
import { ExotelDatabase } from './persistence/exotel-database';
import { SupportSlaService } from './support/support-sla.service';

const options: ExotelModuleOptions = {
  credentials: TEST_CREDENTIALS,
  baseUrl: 'http://127.0.0.1:9',
  jobs: { enabled: false },
  management: TEST_MANAGEMENT,
  webhooks: TEST_WEBHOOKS,
};

@Injectable()
class OptionsFactory implements ExotelOptionsFactory {
  createExotelOptions(): ExotelModuleOptions {
    return { ...options, subdomain: 'api.in.exotel.com', baseUrl: undefined };
  }
}

@Module({ providers: [OptionsFactory], exports: [OptionsFactory] })
class OptionsModule {}

@Injectable()
class Consumer {
  constructor(readonly client: ExotelClient) {}
}

@Module({ providers: [Consumer] })
class ConsumerModule {}

describe('ExotelModule (contract)', () => {
  let database: TestDatabase;

  beforeEach(async () => {
    database = await createTestDatabase();
  });

  afterEach(async () => {
    await database.drop();
  });

  async function compile(
    exotel: ReturnType<typeof ExotelModule.forRoot>,
    extra: object[] = [],
    on: TestDatabase = database,
  ) {
    const moduleRef = await Test.createTestingModule({
      imports: [typeOrmFor(on), exotel, ...(extra as never[])],
    }).compile();
    await moduleRef.init();
    return moduleRef;
  }

  // A boot refused on the options leaves TypeORM connecting (and, on PostgreSQL, migrating) in the
  // background, racing the next test's migrations and outliving the suite: give it an in-memory
  // SQLite database of its own.
  const refusedBootDatabase = () => createTestDatabase('sqlite');

  function expectExports(moduleRef: Awaited<ReturnType<typeof compile>>): ResolvedExotelOptions {
    for (const token of [
      ExotelClient,
      EventPublisher,
      ExotelDatabase,
      ExotelClock,
      ExotelScheduler,
      ExotelMetrics,
      SupportSlaService,
    ]) {
      expect(moduleRef.get(token, { strict: false })).toBeDefined();
    }
    return moduleRef.get<ResolvedExotelOptions>(EXOTEL_OPTIONS, { strict: false });
  }

  it('forRoot resolves every exported provider with validated options', async () => {
    const moduleRef = await compile(ExotelModule.forRoot(options));
    expect(expectExports(moduleRef).baseUrl).toBe('http://127.0.0.1:9');
    await moduleRef.close();
  });

  it('forRootAsync with useFactory and inject', async () => {
    const moduleRef = await compile(
      ExotelModule.forRootAsync({
        imports: [OptionsModule],
        inject: [OptionsFactory],
        useFactory: (factory: OptionsFactory) => ({
          ...factory.createExotelOptions(),
          timeouts: { connectMs: 1000 },
        }),
      }),
    );
    const resolved = expectExports(moduleRef);
    expect(resolved.timeouts).toEqual({ connectMs: 1000, requestMs: 35000 });
    expect(resolved.baseUrl).toBe('https://api.in.exotel.com');
    await moduleRef.close();
  });

  it('forRootAsync with useClass', async () => {
    const moduleRef = await compile(ExotelModule.forRootAsync({ useClass: OptionsFactory }));
    expect(expectExports(moduleRef).subdomain).toBe('api.in.exotel.com');
    await moduleRef.close();
  });

  it('forRootAsync with useExisting', async () => {
    const moduleRef = await compile(
      ExotelModule.forRootAsync({ imports: [OptionsModule], useExisting: OptionsFactory }),
    );
    expect(expectExports(moduleRef).subdomain).toBe('api.in.exotel.com');
    await moduleRef.close();
  });

  it('isGlobal makes the services injectable in modules that do not import it', async () => {
    const moduleRef = await compile(
      ExotelModule.forRootAsync({ isGlobal: true, useFactory: () => options }),
      [ConsumerModule],
    );
    expect(moduleRef.get(Consumer).client).toBeInstanceOf(ExotelClient);
    await moduleRef.close();
  });

  it('refuses to mount the management controllers without an API key, unless they are switched off', async () => {
    const error = await compile(
      ExotelModule.forRoot({ ...options, management: undefined }),
      [],
      await refusedBootDatabase(),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExotelConfigurationError);
    expect((error as ExotelConfigurationError).problems).toEqual([
      expect.objectContaining({
        path: 'management.apiKeys',
        problem: expect.stringMatching(/exophones, heartbeatOrdering, tickets/),
      }),
    ]);
    const moduleRef = await compile(
      ExotelModule.forRoot({
        ...options,
        management: undefined,
        controllers: {
          tickets: false,
          exophones: false,
          incidents: false,
          maintenanceWindows: false,
          callBatches: false,
          calls: false,
          heartbeatOrdering: false,
          console: false,
        },
      }),
    );
    expect(moduleRef.get(SupportSlaService)).toBeInstanceOf(SupportSlaService);
    await moduleRef.close();
  });

  it('fails at boot with one error listing every problem, including unknown controller switches', async () => {
    const bad = ExotelModule.forRoot({
      credentials: { apiKey: '', apiToken: 'token', accountSid: 'acme' },
      timeouts: { requestMs: 0 },
      controllers: { nonsense: false },
    });
    const error = await compile(bad, [], await refusedBootDatabase()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExotelConfigurationError);
    expect((error as ExotelConfigurationError).problems.map((p) => p.path).sort()).toEqual(
      // Mounted controllers without webhook secrets or API keys are reported in the same pass.
      [
        'controllers.nonsense',
        'credentials.apiKey',
        'management.apiKeys',
        'timeouts.requestMs',
        'webhooks.secrets',
      ].sort(),
    );
  });
});
