import { ExotelModule, type ExotelModuleOptions } from '@app/exotel';
import type { Provider } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import type { TestDatabase } from './test-database';
import { TEST_CREDENTIALS, TEST_MANAGEMENT, typeOrmFor } from './test-modules';

/**
 * Compiles and initialises `ExotelModule` on a test database, with background jobs off unless
 * asked (tests drive relays and jobs themselves).
 */
export async function compileExotel(
  database: TestDatabase,
  options: Partial<ExotelModuleOptions> = {},
  providers: Provider[] = [],
): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      typeOrmFor(database),
      ExotelModule.forRoot({
        credentials: TEST_CREDENTIALS,
        baseUrl: 'http://127.0.0.1:9',
        jobs: { enabled: false },
        management: TEST_MANAGEMENT,
        ...options,
      }),
    ],
    providers,
  }).compile();
  await moduleRef.init();
  return moduleRef;
}
