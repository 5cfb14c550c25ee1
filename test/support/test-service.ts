import { ExotelSimulator } from 'exotel-simulator';
import type { INestApplication, Provider } from '@nestjs/common';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { AppModule, type AppModuleOverrides } from '../../apps/exotel-service/src/app.module';
import { loadServiceConfig, type ServiceConfig } from '../../apps/exotel-service/src/config/service-config';
import { configureServiceApp } from '../../apps/exotel-service/src/service-app';
import { captureLogs, type CapturedLogs } from './capture-logs';
import { createTestDatabase, type TestDatabase } from './test-database';

/** Secrets the test service is configured with. */
export const TEST_WEBHOOK_SECRET = 'test-webhook-secret-0123456789';
const TEST_API_KEY = 'test-management-key-0123456789';

/** A running reference service against an in-process simulator and an isolated database. */
export interface TestService {
  readonly app: INestApplication;
  readonly url: string;
  readonly config: ServiceConfig;
  readonly simulator: ExotelSimulator;
  readonly database: TestDatabase;
  readonly logs: CapturedLogs;
  /** Authorization header for the management API. */
  readonly auth: { Authorization: string };
  close(): Promise<void>;
}

export interface TestServiceOptions {
  /** Extra environment, merged over the test defaults. */
  readonly env?: Record<string, string>;
  readonly overrides?: AppModuleOverrides;
  /** Adjusts the testing module (override providers) before it compiles. */
  readonly customize?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  readonly simulator?: ExotelSimulator;
  /** The service database; `TEST_DATABASE` decides by default. */
  readonly dialect?: 'sqlite' | 'postgres';
  /** A database to share with other services (replicas); `close()` leaves it to its owner to drop. */
  readonly database?: TestDatabase;
  /** Extra providers of the test application (e.g. voice agents). */
  readonly providers?: Provider[];
  /** Port to listen on (e.g. one reserved with `freePort()` so webhook URLs can name it). @default 0 */
  readonly port?: number;
}

/** Boots the reference service the way `main.ts` does, on an ephemeral loopback port. */
export async function startTestService(options: TestServiceOptions = {}): Promise<TestService> {
  const simulator = options.simulator ?? new ExotelSimulator();
  const simulatorUrl = await simulator.start();
  const database = options.database ?? (await createTestDatabase(options.dialect));
  const logs = captureLogs('debug');
  const config: ServiceConfig = {
    ...loadServiceConfig({
      EXOTEL_API_KEY: simulator.apiKey,
      EXOTEL_API_TOKEN: simulator.apiToken,
      EXOTEL_SID: simulator.accountSid,
      EXOTEL_BASE_URL: simulatorUrl,
      EXOTEL_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      SERVICE_API_KEYS: TEST_API_KEY,
      LOG_LEVEL: 'debug',
      ...options.env,
    }),
    database: database.settings,
  };
  let builder = Test.createTestingModule({
    imports: [AppModule.forRoot(config, { ...options.overrides, database: database.isolation })],
    providers: options.providers ?? [],
  });
  if (options.customize) builder = options.customize(builder);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication({
    bodyParser: false,
    logger: logs.nest,
    forceCloseConnections: true,
  });
  configureServiceApp(app, logs.pino);
  await app.listen(options.port ?? 0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    config,
    simulator,
    database,
    logs,
    auth: { Authorization: `Bearer ${TEST_API_KEY}` },
    close: async () => {
      await app.close();
      await simulator.stop();
      if (!options.database) await database.drop();
    },
  };
}

/** A loopback port free right now, for a service whose own URL must be known before it starts. */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
