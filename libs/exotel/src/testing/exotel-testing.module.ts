import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ExotelSimulator } from 'exotel-simulator';
import { ExotelModule } from '../exotel.module';
import type { ExotelModuleOptions } from '../options/exotel-module-options.interface';
import { EXOTEL_ENTITIES } from '../exotel-entities';
import { ExotelTestHarness } from './exotel-test-harness';
import {
  EXOTEL_TEST_API_KEY,
  EXOTEL_TEST_SIMULATOR,
  EXOTEL_TEST_WEBHOOK_SECRET,
  type ExotelTestingOptions,
} from './exotel-testing.options';

/**
 * `ExotelModule` for a host's unit and e2e tests: an in-process `exotel-simulator` stands in for
 * Exotel, an in-memory SQLite database for the host's (unless `database: 'host'`), jobs run only
 * when the test asks (`ExotelTestHarness.runJob`), and every event is captured. Global, so the
 * host's providers inject `CallsService` and the other services as in production.
 *
 * ```ts
 * const moduleRef = await Test.createTestingModule({
 *   imports: [ExotelTestingModule.forRoot()],
 *   providers: [Reminders],
 * }).compile();
 * await moduleRef.init();
 * const exotel = moduleRef.get(ExotelTestHarness);
 * ```
 *
 * Needs the `exotel-simulator` and (for the in-memory database) `better-sqlite3` packages as dev
 * dependencies of the host.
 */
@Module({})
export class ExotelTestingModule {
  static forRoot(options: ExotelTestingOptions = {}): DynamicModule {
    const simulator = simulatorModule(options);
    return {
      module: ExotelTestingModule,
      global: true,
      imports: [
        ...(options.database === 'host' ? [] : [inMemoryDatabase()]),
        simulator,
        ExotelModule.forRootAsync({
          isGlobal: true,
          controllers: options.controllers,
          managementPrefix: options.managementPrefix,
          imports: [simulator],
          inject: [EXOTEL_TEST_SIMULATOR],
          useFactory: (sim: ExotelSimulator) => testingOptions(sim, options.exotel ?? {}),
        }),
      ],
      providers: [ExotelTestHarness],
      exports: [ExotelTestHarness, simulator],
    };
  }
}

/** The simulator, started before `ExotelModule` resolves its options (it needs the URL). */
function simulatorModule(options: ExotelTestingOptions): DynamicModule {
  const provider: Provider = {
    provide: EXOTEL_TEST_SIMULATOR,
    useFactory: async (): Promise<ExotelSimulator> => {
      const sim = new ExotelSimulator({ speed: 100, ...options.simulator });
      await sim.start();
      return sim;
    },
  };
  return { module: ExotelTestSimulatorModule, providers: [provider], exports: [provider] };
}

/** Holds the testing module's simulator. @internal */
@Module({})
class ExotelTestSimulatorModule {}

function inMemoryDatabase(): DynamicModule {
  return TypeOrmModule.forRoot({
    type: 'better-sqlite3',
    database: ':memory:',
    entities: [...EXOTEL_ENTITIES],
    autoLoadEntities: true,
    synchronize: true,
    logging: false,
  });
}

/** The testing defaults with the host's overrides laid over them, one level deep. */
function testingOptions(sim: ExotelSimulator, overrides: Partial<ExotelModuleOptions>): ExotelModuleOptions {
  const defaults: ExotelModuleOptions = {
    credentials: { accountSid: sim.accountSid, apiKey: sim.apiKey, apiToken: sim.apiToken },
    baseUrl: sim.baseUrl,
    timeouts: { connectMs: 1_000, requestMs: 2_000 },
    jobs: { enabled: false },
    webhooks: { secrets: [EXOTEL_TEST_WEBHOOK_SECRET] },
    management: { apiKeys: [EXOTEL_TEST_API_KEY] },
    // No status callbacks reach a test without an HTTP server: calls settle from call details.
    calls: { defaultCallerId: sim.exoPhones()[0]?.phoneNumber, reconcile: { silentAfterMs: 0 } },
  };
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(overrides)) {
    const base = merged[key];
    merged[key] = isPlainObject(base) && isPlainObject(value) ? { ...base, ...value } : value;
  }
  return merged as unknown as ExotelModuleOptions;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
