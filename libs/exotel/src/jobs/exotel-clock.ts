/**
 * Source of "now" for business rules (SLA deadlines, incident clocks, staleness). Inject it rather
 * than calling `new Date()` so tests and simulations can move time. Replace the provider with
 * `ManualClock` to control it.
 */
export abstract class ExotelClock {
  /** The current instant. */
  abstract now(): Date;
}

/** The wall clock. */
export class SystemClock extends ExotelClock {
  now(): Date {
    return new Date();
  }
}

/** A clock that only moves when told to; for tests and simulations. */
export class ManualClock extends ExotelClock {
  private current: number;

  constructor(start: Date | string = new Date()) {
    super();
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  /** Moves the clock forward by `ms`. */
  advance(ms: number): Date {
    this.current += ms;
    return this.now();
  }

  /** Sets the clock to `instant`. */
  set(instant: Date | string): Date {
    this.current = new Date(instant).getTime();
    return this.now();
  }
}
