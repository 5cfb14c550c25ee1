import { setMaxListeners } from 'node:events';
import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';

/**
 * Whether the application is shutting down, and a signal for the work that must stop at once.
 *
 * The host calls `begin()` as soon as it decides to stop (the reference service does on SIGTERM,
 * before it drains its HTTP server); Nest's shutdown calls it too (`beforeApplicationShutdown`) if
 * the host did not. From then on readiness can report the instance down (the service's
 * `/health/ready` answers 503), `ExotelScheduler` starts no pass and abandons the passes in flight,
 * and requests waiting for room in the Exotel request budget stop waiting, unsent.
 */
@Injectable()
export class ExotelShutdown implements BeforeApplicationShutdown {
  private readonly controller = new AbortController();
  private began?: Date;

  constructor() {
    // Every request waiting for room in the budget listens to it, and they can be many at once
    // (each removes its listener when its wait ends): no leak, so no warning past 10.
    setMaxListeners(0, this.controller.signal);
  }

  /** Aborted when shutdown begins; never reset. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** True from `begin()` on. */
  get shuttingDown(): boolean {
    return this.began !== undefined;
  }

  /** When shutdown began (wall clock), if it has. */
  get since(): Date | undefined {
    return this.began;
  }

  /** Starts the shutdown: readiness fails and background work stops. Later calls do nothing. */
  begin(): void {
    if (this.began) return;
    this.began = new Date();
    this.controller.abort(new Error('the application is shutting down'));
  }

  beforeApplicationShutdown(): void {
    this.begin();
  }
}
