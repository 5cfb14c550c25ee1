import { ExoPhonesController } from '../exophones/exophones.controller';
import { HeartbeatController } from '../heartbeat/heartbeat.controller';
import { TicketsController } from '../support/tickets.controller';
import type { ExotelControllerDefinition } from './exotel-controller-registry';

/**
 * The controllers `ExotelModule` can mount, by name. Each can be disabled or moved in the module
 * extras: `ExotelModule.forRoot({ ...options, controllers: { heartbeat: { path: 'hooks/hb' } } })`.
 */
export const EXOTEL_CONTROLLER_DEFINITIONS: readonly ExotelControllerDefinition[] = [
  { name: 'heartbeat', kind: 'webhook', controller: HeartbeatController, readsOwnBody: true },
  { name: 'exophones', kind: 'management', controller: ExoPhonesController },
  { name: 'tickets', kind: 'management', controller: TicketsController },
];
