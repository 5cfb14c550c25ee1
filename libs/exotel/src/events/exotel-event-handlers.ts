import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { ExotelEvent } from './exotel-event';
import { LIBRARY_EVENT_HANDLERS } from './library-handlers';
import { ON_EXOTEL_EVENT } from './on-exotel-event.decorator';

/** A discovered `@OnExotelEvent()` method. */
export interface ExotelEventHandler {
  /** `ClassName.method`, for logs. */
  readonly name: string;
  readonly handle: (event: ExotelEvent) => unknown;
}

/**
 * Finds every `@OnExotelEvent()` method on the application's singleton providers at boot and
 * dispatches events to them.
 */
@Injectable()
export class ExotelEventHandlers implements OnModuleInit {
  private readonly logger = new Logger(ExotelEventHandlers.name);
  private readonly byType = new Map<string, ExotelEventHandler[]>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    protected readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      if (!this.includes(instance.constructor)) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const handler = instance[method];
        if (typeof handler !== 'function') continue;
        const types = this.reflector.get<string[] | undefined>(ON_EXOTEL_EVENT, handler as () => unknown);
        if (!types) continue;
        const name = `${instance.constructor.name}.${method}`;
        for (const type of types)
          this.add(type, {
            name,
            handle: (event): unknown => (handler as (e: ExotelEvent) => unknown).call(instance, event),
          });
      }
    }
    const count = [...this.byType.values()].reduce((sum, list) => sum + list.length, 0);
    if (count > 0) this.logger.log(`${count} in-process event handler(s) registered`);
  }

  /** Whether the handlers of this provider class are registered (all of them, here). */
  protected includes(_providerClass: unknown): boolean {
    return true;
  }

  /** Registers a handler by hand (for code that is not a provider). */
  add(type: string, handler: ExotelEventHandler): void {
    const list = this.byType.get(type) ?? [];
    list.push(handler);
    this.byType.set(type, list);
  }

  /** Every event type some handler handles (`'*'` for catch-all handlers). */
  handledTypes(): string[] {
    return [...this.byType.keys()];
  }

  /** Handlers of `type`, including catch-all (`'*'`) handlers. */
  handlersFor(type: string): ExotelEventHandler[] {
    return [...(this.byType.get(type) ?? []), ...(this.byType.get('*') ?? [])];
  }
}

/**
 * The handlers `ExotelEventsConsumerModule` runs: the application's own, not the library's
 * in-process wiring (`@LibraryEventHandlers()`).
 */
@Injectable()
export class HostEventHandlers extends ExotelEventHandlers {
  protected override includes(providerClass: unknown): boolean {
    return !this.reflector.get<boolean | undefined>(LIBRARY_EVENT_HANDLERS, providerClass as () => unknown);
  }
}
