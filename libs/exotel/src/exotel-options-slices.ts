import type { FactoryProvider } from '@nestjs/common';
import { EXOTEL_OPTIONS } from './exotel.constants';
import type { ResolvedExotelOptions } from './options/exotel-module-options.interface';
import { exotelOptionsSliceToken } from './options/inject-exotel-options.decorator';

// Every top-level group of the resolved options; the compiler insists on each one, so a group the
// options gain is injectable by `@InjectExotelOptions(group)` as soon as it exists.
const SLICES = {
  credentials: true,
  subdomain: true,
  baseUrl: true,
  timeouts: true,
  rateLimit: true,
  retry: true,
  arrayEncoding: true,
  applets: true,
  webhooks: true,
  management: true,
  jobs: true,
  exophones: true,
  heartbeat: true,
  events: true,
  incidents: true,
  support: true,
  voice: true,
  calls: true,
} as const satisfies Record<keyof ResolvedExotelOptions, true>;

/** One provider per top-level group of the resolved options, for `@InjectExotelOptions(group)`. */
export const EXOTEL_OPTIONS_SLICES: FactoryProvider[] = (
  Object.keys(SLICES) as (keyof ResolvedExotelOptions)[]
).map((slice) => ({
  provide: exotelOptionsSliceToken(slice),
  useFactory: (options: ResolvedExotelOptions) => options[slice],
  inject: [EXOTEL_OPTIONS],
}));
