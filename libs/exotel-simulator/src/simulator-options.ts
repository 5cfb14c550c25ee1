import type { NumberScript } from './calls/number-scripts';
import type { DeliveryPolicy } from './callbacks/webhook-delivery';
import { DEFAULT_EXOPHONE_COUNT, type ExoPhoneSeed } from './exophones/exophone-inventory';
import { EXOTEL_CONNECT_LATENCY, type LatencyQuantiles } from './faults/latency-profile';
import type { HeartbeatSettings } from './heartbeat/heartbeat-emitter';

/** Settings of a simulator instance. Every field is optional. */
export interface ExotelSimulatorOptions {
  /** Account SID the simulator serves. @default 'sim-account' */
  accountSid?: string;
  /** API key it accepts (the Basic user name). @default 'sim-key' */
  apiKey?: string;
  /** API token it accepts (the Basic password). @default 'sim-token' */
  apiToken?: string;
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
  /** Seed of the pseudo-random generator (SIDs, latency draws, coin flips). @default 20181022 */
  seed?: number | string;
  /**
   * Simulated seconds per real second, for call lifecycles and injected latency: `1000` runs a 30 s
   * call in 30 ms. Heartbeat intervals and webhook timeouts stay in real time. @default 1
   */
  speed?: number;
  /** The ExoPhone inventory: how many to generate across circles, or the exact list. @default 8 */
  exoPhones?: number | readonly ExoPhoneSeed[];
  /** Exotel's per-account limits; `false` turns both off (benchmarks). */
  rateLimits?: false | { voicePerMinute?: number; exophoneDetailsPerMinute?: number; windowMs?: number };
  /** Send `Retry-After` (seconds until a slot frees) with rate-limit 429s (Exotel: undocumented). @default false */
  retryAfterOnRateLimit?: boolean;
  /**
   * API host names the simulator answers as, e.g. `['api.exotel.com', 'api.in.exotel.com']` when a
   * hosts-file entry or proxy sends a client configured for either Exotel region to it. When set,
   * a request naming another host gets 404 (IP addresses and `localhost` are always served).
   * @default undefined: any host (docker-compose and Kubernetes reach it by service name)
   */
  hostAliases?: readonly string[];
  /**
   * Calls/connect response time: `true` draws from Exotel's published latency, or give quantiles;
   * scaled by `speed`. @default false
   */
  latency?: boolean | LatencyQuantiles;
  /** StatusCallback and heartbeat delivery policy. */
  delivery?: Partial<DeliveryPolicy>;
  /** Heartbeats from the start: the first as soon as `start()` listens, then every interval. */
  heartbeat?: HeartbeatSettings;
  /** Largest heartbeat body before PAYLOAD_TOO_LARGE is sent instead. @default 10485760 (10 MB) */
  heartbeatMaxPayloadBytes?: number;
  /** Call lifecycle settings. */
  calls?: {
    /** How numbers without a script behave. @default { outcome: 'answer', ringSeconds: 3 } */
    defaultScript?: NumberScript;
    /** Conversation length when no party's script sets `talkSeconds`. @default 30 */
    defaultTalkSeconds?: number;
    /** Ring time per leg when the request has no `TimeOut`. @default 30 */
    defaultTimeOutSeconds?: number;
    /** Delay (simulated s) before `EndTime`, `Duration`, `Price` appear (Exotel: ~120). @default 0 */
    detailsDelaySeconds?: number;
    /** `Price` per started minute. @default 0.5 */
    pricePerMinute?: number;
    /** Chance a call fails when its caller id's outgoing is `partial_network_outage`. @default 0.5 */
    partialOutageFailureRate?: number;
    /** Numbers on the DND registry: calls to or from them fail (`failed-call`) or are refused with 400 (`reject`). */
    dnd?: { numbers: readonly string[]; behaviour?: 'failed-call' | 'reject' };
  };
  /** How many requests, callbacks and heartbeats are kept for inspection. @default 10000 */
  maxRecorded?: number;
}

/** Options with every default applied. */
export interface ResolvedSimulatorOptions {
  readonly accountSid: string;
  readonly apiKey: string;
  readonly apiToken: string;
  readonly port: number;
  readonly host: string;
  readonly seed: number | string;
  readonly speed: number;
  readonly exoPhones: number | readonly ExoPhoneSeed[];
  readonly rateLimits: false | { voicePerMinute: number; exophoneDetailsPerMinute: number; windowMs: number };
  readonly retryAfterOnRateLimit: boolean;
  readonly hostAliases?: readonly string[];
  readonly latency: LatencyQuantiles | false;
  readonly delivery: DeliveryPolicy;
  readonly heartbeat?: HeartbeatSettings;
  readonly heartbeatMaxPayloadBytes: number;
  readonly calls: {
    readonly defaultScript: NumberScript;
    readonly defaultTalkSeconds: number;
    readonly defaultTimeOutSeconds: number;
    readonly detailsDelaySeconds: number;
    readonly pricePerMinute: number;
    readonly partialOutageFailureRate: number;
    readonly dndNumbers: readonly string[];
    readonly dndBehaviour: 'failed-call' | 'reject';
  };
  readonly maxRecorded: number;
}

/** The default seed: the date Exotel published its Calls/connect latency figures. */
export const DEFAULT_SEED = 20181022;

/** Applies the defaults and checks the numbers that would make the simulator misbehave. */
export function resolveSimulatorOptions(options: ExotelSimulatorOptions = {}): ResolvedSimulatorOptions {
  const speed = options.speed ?? 1;
  if (!(speed > 0)) throw new Error(`ExotelSimulator: speed must be a positive number, got ${speed}`);
  const limits = options.rateLimits;
  return {
    accountSid: options.accountSid ?? 'sim-account',
    apiKey: options.apiKey ?? 'sim-key',
    apiToken: options.apiToken ?? 'sim-token',
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    seed: options.seed ?? DEFAULT_SEED,
    speed,
    exoPhones: options.exoPhones ?? DEFAULT_EXOPHONE_COUNT,
    rateLimits:
      limits === false
        ? false
        : {
            voicePerMinute: limits?.voicePerMinute ?? 200,
            exophoneDetailsPerMinute: limits?.exophoneDetailsPerMinute ?? 50,
            windowMs: limits?.windowMs ?? 60_000,
          },
    retryAfterOnRateLimit: options.retryAfterOnRateLimit ?? false,
    hostAliases: options.hostAliases?.map((h) => h.toLowerCase()),
    latency: options.latency === true ? EXOTEL_CONNECT_LATENCY : (options.latency ?? false),
    delivery: {
      timeoutMs: options.delivery?.timeoutMs ?? 15_000,
      retries: options.delivery?.retries ?? 2,
      retryDelayMs: options.delivery?.retryDelayMs ?? 1_000,
    },
    heartbeat: options.heartbeat,
    heartbeatMaxPayloadBytes: options.heartbeatMaxPayloadBytes ?? 10 * 1024 * 1024,
    calls: {
      defaultScript: options.calls?.defaultScript ?? { outcome: 'answer', ringSeconds: 3 },
      defaultTalkSeconds: options.calls?.defaultTalkSeconds ?? 30,
      defaultTimeOutSeconds: options.calls?.defaultTimeOutSeconds ?? 30,
      detailsDelaySeconds: options.calls?.detailsDelaySeconds ?? 0,
      pricePerMinute: options.calls?.pricePerMinute ?? 0.5,
      partialOutageFailureRate: options.calls?.partialOutageFailureRate ?? 0.5,
      dndNumbers: options.calls?.dnd?.numbers ?? [],
      dndBehaviour: options.calls?.dnd?.behaviour ?? 'failed-call',
    },
    maxRecorded: options.maxRecorded ?? 10_000,
  };
}
