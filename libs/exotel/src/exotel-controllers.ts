import { ExoPhonesController } from './exophones/exophones.controller';
import { HeartbeatController } from './heartbeat/heartbeat.controller';
import { HeartbeatOrderingController } from './heartbeat/heartbeat-ordering.controller';
import { TicketsController } from './support/tickets.controller';
import { IncidentsController } from './incidents/incidents.controller';
import { MaintenanceWindowsController } from './incidents/maintenance-windows.controller';
import { VoiceAnswerController } from './voice/voice-answer.controller';
import { VoiceDialUpController } from './voice/voice-dial-up.controller';
import { CallBatchesController } from './calls/call-batches.controller';
import { CallsController } from './calls/calls.controller';
import { ConsoleController } from './console/console.controller';
import { StatusCallbackController } from './calls/status-callback.controller';
import type { ExotelControllerDefinition } from './http/exotel-controller-registry';

/**
 * The controllers `ExotelModule` can mount, by name. Each can be disabled or moved in the module
 * extras: `ExotelModule.forRoot({ ...options, controllers: { heartbeat: { path: 'hooks/hb' } } })`.
 */
export const EXOTEL_CONTROLLER_DEFINITIONS: readonly ExotelControllerDefinition[] = [
  { name: 'heartbeat', kind: 'webhook', controller: HeartbeatController, readsOwnBody: true },
  { name: 'exophones', kind: 'management', controller: ExoPhonesController },
  { name: 'heartbeatOrdering', kind: 'management', controller: HeartbeatOrderingController },
  { name: 'tickets', kind: 'management', controller: TicketsController },
  { name: 'incidents', kind: 'management', controller: IncidentsController },
  { name: 'maintenanceWindows', kind: 'management', controller: MaintenanceWindowsController },
  { name: 'voiceAnswer', kind: 'webhook', controller: VoiceAnswerController },
  { name: 'voiceDialUp', kind: 'webhook', controller: VoiceDialUpController },
  { name: 'callBatches', kind: 'management', controller: CallBatchesController },
  { name: 'calls', kind: 'management', controller: CallsController },
  { name: 'statusCallbacks', kind: 'webhook', controller: StatusCallbackController, readsOwnBody: true },
  { name: 'console', kind: 'management', controller: ConsoleController },
];
