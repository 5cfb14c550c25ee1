import type { Type } from '@nestjs/common';

/** Who calls a controller: Exotel (secret in the URL) or operators and services (Bearer key). */
export type ExotelControllerKind = 'webhook' | 'management';

/**
 * A controller as mounted: with its final path. The options own this shape because it is their
 * input: mounted webhooks call for a secret, management routes for a key, and the status callback
 * route gives `calls.statusCallbackUrl` its path.
 */
export interface MountedController {
  readonly name: string;
  readonly kind: ExotelControllerKind;
  readonly path: string;
  readonly controller: Type;
  readonly readsOwnBody: boolean;
}
