import type { ResolvedCallsOptions } from './calls-options.interface';
import type { DeepReadonly } from './deep-readonly';
import type { ParsedExotelOptions } from './exotel-options.schema';
import type { ResolvedVoiceOptions } from './voice-options.interface';

// The resolved options are what the schema outputs, read-only; only what `resolveExotelOptions()`
// derives after the schema, and the Kafka settings handed to kafkajs as they are, are written here.

/** Options after defaults were applied and validation passed; frozen and shared by every service. */
export interface ResolvedExotelOptions extends DeepReadonly<
  Omit<ParsedExotelOptions, 'baseUrl' | 'events' | 'calls' | 'voice'>
> {
  /** Base URL actually used (from `baseUrl` or `subdomain`), without a trailing slash. */
  readonly baseUrl: string;
  readonly events: ResolvedEventsOptions;
  readonly voice: ResolvedVoiceOptions;
  /** With `statusCallbackUrl` derived from `webhooks.publicBaseUrl` when not given. */
  readonly calls: ResolvedCallsOptions;
}

/** The `events` options after defaults. */
export interface ResolvedEventsOptions extends DeepReadonly<Omit<ParsedExotelOptions['events'], 'kafka'>> {
  readonly kafka?: ResolvedKafkaOptions;
}

/** Kafka settings after defaults; read-only at the top only, as kafkajs takes its lists mutable. */
export type ResolvedKafkaOptions = Readonly<NonNullable<ParsedExotelOptions['events']['kafka']>>;
