import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Subscription } from 'rxjs';
import { EXOTEL_MODULE_EXTRAS } from '../exotel.constants';
import type { ExotelModuleMounting } from './exotel-controller-registry';
import { isOwnBodyPath, ownBodyPaths, shieldContentType } from './own-body-routes';

/**
 * Lets the webhooks that read their own body work in any host, including one created with Nest's
 * defaults (`NestFactory.create(AppModule)`, body parser on). As soon as Nest hands the module its
 * HTTP adapter, which is before the application registers its body parsers, a middleware is put in
 * front of them that hides those routes' `Content-Type`, so no parser consumes their bodies. The
 * heartbeat webhook therefore still authenticates before it reads and still accepts 10 MB, whatever
 * limit the host's parser has.
 */
@Injectable()
export class OwnBodyShield implements OnModuleDestroy {
  private readonly logger = new Logger(OwnBodyShield.name);
  private readonly subscription: Subscription;

  constructor(adapterHost: HttpAdapterHost, @Inject(EXOTEL_MODULE_EXTRAS) mounting: ExotelModuleMounting) {
    const own = ownBodyPaths(mounting.mounted);
    // init$ replays: it fires now when the adapter is already there (NestFactory.create), or later
    // when a testing module becomes an application (createNestApplication).
    this.subscription = adapterHost.init$.subscribe(() => {
      if (own.length > 0) this.install(adapterHost, own);
    });
  }

  onModuleDestroy(): void {
    this.subscription.unsubscribe();
  }

  private install(adapterHost: HttpAdapterHost, own: readonly string[]): void {
    const adapter = adapterHost.httpAdapter;
    if (!adapter || adapter.getType() !== 'express') {
      if (adapter)
        this.logger.warn(
          `The ${adapter.getType()} adapter is not supported: webhooks that read their own body need Express`,
        );
      return;
    }
    adapter.use(
      (request: IncomingMessage & { path?: string }, _response: ServerResponse, next: () => void) => {
        const path = request.path ?? (request.url ?? '/').split('?')[0];
        if (isOwnBodyPath(path, own)) shieldContentType(request);
        next();
      },
    );
  }
}
