/**
 * `nestjs-exotel/testing`: `ExotelModule` for a host's tests, against an in-process simulator.
 * @packageDocumentation
 */
export { ExotelTestingModule } from './exotel-testing.module';
export { ExotelTestHarness, ExotelTestTimeoutError, type TestExoPhoneHealth } from './exotel-test-harness';
export {
  EXOTEL_TEST_API_KEY,
  EXOTEL_TEST_SIMULATOR,
  EXOTEL_TEST_WEBHOOK_SECRET,
  type ExotelTestingOptions,
} from './exotel-testing.options';
