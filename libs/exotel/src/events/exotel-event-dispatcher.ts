import { Logger } from '@nestjs/common';
import { logLine, stackOf } from '../logging/log-line';
import type { ExotelEvent } from './exotel-event';
import type { ExotelEventHandlers } from './exotel-event-handlers';

/** Retry settings of in-process handlers. */
export interface DispatchSettings {
  readonly maxAttempts: number;
  readonly retryDelayMs: number;
}

/**
 * Runs `@OnExotelEvent()` handlers. Every handler of an event runs independently: a failing one is
 * retried (the delay doubles each time) and, when it keeps failing, logged and left; it never
 * stops the other handlers. Events of one subject are handled in order; different subjects run
 * side by side.
 */
export class ExotelEventDispatcher {
  private readonly logger = new Logger(ExotelEventDispatcher.name);

  constructor(
    private readonly handlers: ExotelEventHandlers,
    private readonly settings: DispatchSettings,
    private readonly onFailure: (handler: string, event: ExotelEvent) => void = () => undefined,
  ) {}

  /** Dispatches events: in order within a subject, concurrently across subjects. */
  async dispatchAll(events: readonly ExotelEvent[]): Promise<void> {
    const bySubject = new Map<string, ExotelEvent[]>();
    for (const event of events) {
      const list = bySubject.get(event.subject) ?? [];
      list.push(event);
      bySubject.set(event.subject, list);
    }
    await Promise.all(
      [...bySubject.values()].map(async (list) => {
        for (const event of list) await this.dispatch(event);
      }),
    );
  }

  /** Runs every handler of one event. Never throws. */
  async dispatch(event: ExotelEvent): Promise<void> {
    await Promise.all(
      this.handlers.handlersFor(event.type).map((handler) => this.run(handler.name, handler.handle, event)),
    );
  }

  private async run(
    name: string,
    handle: (event: ExotelEvent) => unknown,
    event: ExotelEvent,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await handle(event);
        return;
      } catch (error) {
        const fields = { handler: name, eventId: event.id, type: event.type, attempt, err: error };
        if (attempt >= this.settings.maxAttempts) {
          this.logger.error(
            logLine(
              `Event handler ${name} failed ${attempt} time(s); giving up on event ${event.id}`,
              fields,
            ),
            stackOf(error),
          );
          this.onFailure(name, event);
          return;
        }
        this.logger.warn(logLine(`Event handler ${name} failed; retrying`, fields));
        await new Promise((resolve) => setTimeout(resolve, this.settings.retryDelayMs * 2 ** (attempt - 1)));
      }
    }
  }
}
