/** Token of the options exactly as the host passed them (before defaults and validation). */
export const EXOTEL_MODULE_OPTIONS = 'EXOTEL_MODULE_OPTIONS';

/** Token of `ResolvedExotelOptions`: defaults applied, validated once, frozen. */
export const EXOTEL_OPTIONS = 'EXOTEL_OPTIONS';

/** Token of the module extras (`isGlobal`, controller switches) given at import time. */
export const EXOTEL_MODULE_EXTRAS = 'EXOTEL_MODULE_EXTRAS';

/** Token of the axios-backed `HttpService` that talks to Exotel. */
export const EXOTEL_HTTP = 'EXOTEL_HTTP';
