import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { ExotelClock } from '../jobs/exotel-clock';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import type { HeartbeatPayload } from './heartbeat-payload';

/** Heartbeats held at once; more than a few are pending only while the database is down. */
const MAX_HEARTBEATS = 8;
/** Bodies of the largest size allowed (`heartbeat.maxBodyBytes`) held at once. */
const MAX_LARGEST_BODIES = 3;
/**
 * Four ticks of the apply job (every 5 s): a heartbeat still pending after that is applied from
 * its stored body, as on a replica that did not receive it.
 */
const TTL_MS = 20_000;

/**
 * The heartbeats this process received, already parsed, so that applying one here does not parse
 * its body (up to `heartbeat.maxBodyBytes`) a second time. A shortcut only: a heartbeat not held is
 * read back from the database. Bounded on every replica, whichever of them applies: a few
 * heartbeats and a few bodies' worth of bytes at most, each dropped once applied anywhere
 * (`HeartbeatIngestion` asks after each pass), and after a few apply ticks in any case. Ages are
 * counted on `ExotelClock`.
 */
@Injectable()
export class ParsedHeartbeats implements OnApplicationShutdown {
  private readonly held: LRUCache<string, HeartbeatPayload>;

  constructor(
    @InjectExotelOptions('heartbeat') heartbeat: ResolvedExotelOptions['heartbeat'],
    clock: ExotelClock,
  ) {
    this.held = new LRUCache<string, HeartbeatPayload>({
      max: MAX_HEARTBEATS,
      maxSize: MAX_LARGEST_BODIES * heartbeat.maxBodyBytes,
      ttl: TTL_MS,
      ttlAutopurge: true,
      perf: { now: () => clock.now().getTime() },
      // Ask the clock every time (it may be a ManualClock that moves between two calls).
      ttlResolution: 0,
    });
  }

  /** Holds a heartbeat parsed from a body of `bodyBytes` bytes (not held when larger than the bound). */
  hold(id: string, payload: HeartbeatPayload, bodyBytes: number): void {
    this.held.purgeStale();
    this.held.set(id, payload, { size: Math.max(1, bodyBytes) });
  }

  /** The parsed heartbeat `id`, if still held. */
  get(id: string): HeartbeatPayload | undefined {
    return this.held.get(id);
  }

  /** Stops holding `id`. */
  drop(id: string): void {
    this.held.delete(id);
  }

  /** Ids of the heartbeats held. */
  ids(): string[] {
    this.held.purgeStale();
    return [...this.held.keys()];
  }

  /** The body bytes held, as counted by `hold()`. */
  bytes(): number {
    this.held.purgeStale();
    return this.held.calculatedSize;
  }

  onApplicationShutdown(): void {
    // Also stops the expiry timers.
    this.held.clear();
  }
}
