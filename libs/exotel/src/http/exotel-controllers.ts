import { TicketsController } from '../support/tickets.controller';
import type { ExotelControllerDefinition } from './exotel-controller-registry';

/**
 * The controllers `ExotelModule` can mount, by name. Each can be disabled or moved in the module
 * extras: `ExotelModule.forRoot({ ...options, controllers: { heartbeat: { path: 'hooks/hb' } } })`.
 */
export const EXOTEL_CONTROLLER_DEFINITIONS: readonly ExotelControllerDefinition[] = [
  { name: 'tickets', kind: 'management', controller: TicketsController },
];
