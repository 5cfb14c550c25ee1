import type { SimExoPhone } from './exophone-inventory';

/** Connectivity of one direction, as Exotel reports it. */
export type ConnectivityStatus = 'active' | 'partial_network_outage' | 'major_outage';

/** `incoming` or `outgoing` calls through an ExoPhone. */
export type CallDirection = 'incoming' | 'outgoing';

/** What is known about one direction of one ExoPhone. */
export interface DirectionHealth {
  readonly status: ConnectivityStatus;
  /** When Exotel last checked it (epoch ms). */
  readonly lastCheckTime: number;
  /** An explicit `alternate_exophone`; undefined means "suggest one automatically". */
  readonly alternate?: string | readonly string[] | null;
}

/** Options of `setHealth`. */
export interface SetHealthOptions {
  /**
   * `alternate_exophone` to report, exactly as given (a string, an array or null). Left out, the
   * simulator suggests a healthy ExoPhone of another circle (as an array of one E.164 number) while
   * the direction is down, and null while it is active.
   */
  readonly alternate?: string | readonly string[] | null;
}

/**
 * Connectivity per ExoPhone and direction, shared by the heartbeat emitter and the v2 GET so the two
 * always agree. Everything starts `active`.
 */
export class ExoPhoneHealth {
  private readonly state = new Map<string, { incoming: DirectionHealth; outgoing: DirectionHealth }>();
  private readonly bySid = new Map<string, SimExoPhone>();
  // Healthy ExoPhones per circle, per direction, recomputed lazily after a change.
  private healthyCache?: Record<CallDirection, Map<string, SimExoPhone>>;
  // The latest heartbeat's timestamp: no check is stamped before it. Heartbeats sent within one
  // second get timestamps a second apart, ahead of the clock; a change made after one must not
  // look older than the heartbeat that still reported the ExoPhone as it was (a receiver that
  // keeps the newest check time would dismiss it).
  private checksNotBefore = 0;

  constructor(
    private readonly inventory: readonly SimExoPhone[],
    private readonly now: () => number,
  ) {
    this.reset();
  }

  /** Every ExoPhone back to `active`. */
  reset(): void {
    this.checksNotBefore = 0;
    const at = this.now();
    this.state.clear();
    this.bySid.clear();
    for (const phone of this.inventory) {
      this.bySid.set(phone.sid, phone);
      this.state.set(phone.sid, {
        incoming: { status: 'active', lastCheckTime: at },
        outgoing: { status: 'active', lastCheckTime: at },
      });
    }
    this.healthyCache = undefined;
  }

  /** Sets the status of one or both directions of an ExoPhone; throws on an unknown SID. */
  set(
    sid: string,
    direction: CallDirection | 'both',
    status: ConnectivityStatus,
    options: SetHealthOptions = {},
  ): void {
    const current = this.state.get(sid);
    if (!current) throw new Error(`No ExoPhone with SID ${sid} in the simulator's inventory`);
    const next: DirectionHealth = {
      status,
      lastCheckTime: Math.max(this.now(), this.checksNotBefore),
      alternate: options.alternate,
    };
    if (direction !== 'outgoing') current.incoming = next;
    if (direction !== 'incoming') current.outgoing = next;
    this.healthyCache = undefined;
  }

  /** One direction's health; undefined for an unknown SID. */
  get(sid: string, direction: CallDirection): DirectionHealth | undefined {
    return this.state.get(sid)?.[direction];
  }

  /** Marks every ExoPhone as checked at `at`, a heartbeat's timestamp (each heartbeat is a check). */
  touch(at: number): void {
    this.checksNotBefore = Math.max(this.checksNotBefore, at);
    for (const entry of this.state.values()) {
      entry.incoming = { ...entry.incoming, lastCheckTime: at };
      entry.outgoing = { ...entry.outgoing, lastCheckTime: at };
    }
  }

  /** SIDs whose `direction` is not `active`, in inventory order. */
  affected(direction: CallDirection): string[] {
    const out: string[] = [];
    for (const phone of this.inventory)
      if (this.state.get(phone.sid)![direction].status !== 'active') out.push(phone.sid);
    return out;
  }

  /** The `alternate_exophone` value to report for a direction. */
  alternateFor(sid: string, direction: CallDirection): string | readonly string[] | null {
    const health = this.get(sid, direction);
    if (!health) return null;
    if (health.alternate !== undefined) return health.alternate;
    if (health.status === 'active') return null;
    const region = this.bySid.get(sid)?.region;
    for (const [circle, phone] of this.healthy(direction)) if (circle !== region) return [phone.phoneNumber];
    return null;
  }

  private healthy(direction: CallDirection): Map<string, SimExoPhone> {
    if (!this.healthyCache) {
      const cache: Record<CallDirection, Map<string, SimExoPhone>> = {
        incoming: new Map(),
        outgoing: new Map(),
      };
      for (const phone of this.inventory) {
        const entry = this.state.get(phone.sid)!;
        for (const d of ['incoming', 'outgoing'] as const) {
          if (entry[d].status === 'active' && !cache[d].has(phone.region)) cache[d].set(phone.region, phone);
        }
      }
      this.healthyCache = cache;
    }
    return this.healthyCache[direction];
  }
}
