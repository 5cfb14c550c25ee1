import type { INestApplicationContext } from '@nestjs/common';
import { ExoPhoneHealthService, type ExotelModuleOptions } from 'nestjs-exotel';
import { ExoPhoneInventory, ExotelDatabase } from 'nestjs-exotel/internal';
import type { ExotelSimulator } from 'exotel-simulator';
import { TEST_MANAGEMENT, TEST_WEBHOOKS } from '../../test/support/test-modules';

/** `ExotelModule` options for a benchmark against `simulator`: jobs off, no start-up sync. */
export function benchModuleOptions(
  simulator: ExotelSimulator,
  extra: Partial<ExotelModuleOptions> = {},
): ExotelModuleOptions {
  return {
    credentials: { apiKey: simulator.apiKey, apiToken: simulator.apiToken, accountSid: simulator.accountSid },
    baseUrl: simulator.baseUrl,
    management: TEST_MANAGEMENT,
    webhooks: TEST_WEBHOOKS,
    jobs: { enabled: false },
    ...extra,
    exophones: { syncOnStart: false, ...extra.exophones },
  };
}

/** The steady state calls are measured in: the inventory synced, a heartbeat saying every ExoPhone is healthy. */
export async function everyExoPhoneHealthy(app: INestApplicationContext): Promise<void> {
  await app.get(ExoPhoneInventory).sync();
  await app.get(ExotelDatabase).transaction((manager) =>
    app.get(ExoPhoneHealthService).applyObservations(manager, {
      observations: [],
      source: 'heartbeat',
      observedAt: new Date(),
      othersActive: true,
    }),
  );
}

/** The databases a benchmark runs on: `BENCH_DATABASES` (comma-separated), else SQLite and PostgreSQL. */
export function benchDatabases(): ('sqlite' | 'postgres')[] {
  const wanted = (process.env.BENCH_DATABASES ?? 'sqlite,postgres').split(',').map((name) => name.trim());
  return (['sqlite', 'postgres'] as const).filter((name) => wanted.includes(name));
}
