import type { ExotelSimulatorOptions } from 'exotel-simulator';
import type { ExotelModuleExtras } from '../exotel.module-definition';
import type { ExotelModuleOptions } from '../options/exotel-module-options.interface';

/** Options of `ExotelTestingModule.forRoot()`; every field is optional. */
export interface ExotelTestingOptions extends Pick<ExotelModuleExtras, 'controllers' | 'managementPrefix'> {
  /**
   * `ExotelModule` options laid over the testing defaults (simulator credentials and URL, jobs off,
   * 1 s connect and 2 s request timeouts, the first simulated ExoPhone as default caller id, the
   * test webhook secret and management key). Groups are merged one level deep:
   * `{ calls: { statusCallbackEvents: ['terminal'] } }` keeps the default caller id.
   */
  exotel?: Partial<ExotelModuleOptions>;
  /** The in-process simulator's settings. @default { speed: 100 } (a 30 s call lasts 0.3 s) */
  simulator?: ExotelSimulatorOptions;
  /**
   * `'memory'`: an in-memory SQLite DataSource (better-sqlite3) with the module's entities and the
   * host's `forFeature` ones, synchronized. `'host'`: the host's own `TypeOrmModule.forRoot()` in the
   * test module (the module's entities must be on it, see `EXOTEL_ENTITIES`). @default 'memory'
   */
  database?: 'memory' | 'host';
}

/** Webhook secret the testing module accepts (`?key=` on webhooks). */
export const EXOTEL_TEST_WEBHOOK_SECRET = 'exotel-testing-webhook-secret-000000';

/** Management API key the testing module accepts (`Authorization: Bearer <key>`). */
export const EXOTEL_TEST_API_KEY = 'exotel-testing-management-key-000000';

/** Injection token of the testing module's `ExotelSimulator`. */
export const EXOTEL_TEST_SIMULATOR = Symbol.for('nestjs-exotel:test-simulator');
