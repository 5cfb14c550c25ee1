import { ExotelModule, type ExotelModuleOptions } from 'nestjs-exotel';
import { ExotelClock } from 'nestjs-exotel/internal';
import type { Provider } from '@nestjs/common';
import { Test, type TestingModule, type TestingModuleBuilder } from '@nestjs/testing';
import type { TestDatabase } from './test-database';
import { TEST_CREDENTIALS, TEST_MANAGEMENT, TEST_WEBHOOKS, typeOrmFor } from './test-modules';

/**
 * Compiles and initialises `ExotelModule` on a test database, with background jobs off unless
 * asked (tests drive relays and jobs themselves). A `clock` replaces the module's `ExotelClock`.
 */
export async function compileExotel(
  database: TestDatabase,
  options: Partial<ExotelModuleOptions> = {},
  providers: Provider[] = [],
  clock?: ExotelClock,
): Promise<TestingModule> {
  let builder: TestingModuleBuilder = Test.createTestingModule({
    imports: [
      typeOrmFor(database),
      ExotelModule.forRoot({
        credentials: TEST_CREDENTIALS,
        baseUrl: 'http://127.0.0.1:9',
        jobs: { enabled: false },
        management: TEST_MANAGEMENT,
        webhooks: TEST_WEBHOOKS,
        ...options,
      }),
    ],
    providers,
  });
  if (clock) builder = builder.overrideProvider(ExotelClock).useValue(clock);
  const moduleRef = await builder.compile();
  await moduleRef.init();
  return moduleRef;
}
