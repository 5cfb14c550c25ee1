import { ConfigurableModuleBuilder } from '@nestjs/common';
import { EXOTEL_MODULE_EXTRAS, EXOTEL_MODULE_OPTIONS } from './exotel.constants';
import { EXOTEL_CONTROLLER_DEFINITIONS } from './exotel-controllers';
import {
  mountControllers,
  type ExotelControllerSwitch,
  type ExotelModuleMounting,
} from './http/exotel-controller-registry';
import type { ExotelModuleOptions } from './options/exotel-module-options.interface';

/**
 * Settings that must be known when the module is imported, before any async options resolve:
 * Nest decides which controllers exist, and where, at that point.
 */
export interface ExotelModuleExtras {
  /** Register the module globally. @default false */
  isGlobal?: boolean;
  /**
   * Per-controller switches, by name: `false` leaves a controller out, `{ path }` mounts it at
   * exactly that path. The names: webhooks `heartbeat` (`exotel/heartbeat`), `statusCallbacks`
   * (`exotel/callback/status`), `voiceAnswer` (`exotel/answer`), `voiceDialUp` (`exotel/dial-up`);
   * management `calls`, `callBatches` (`calls/batches`), `console` (the operations console,
   * `console`), `exophones`, `heartbeatOrdering` (`heartbeat/ordering`), `incidents`,
   * `maintenanceWindows`, `tickets` (under `managementPrefix`). Every controller is mounted at its
   * default path unless switched.
   * @default {}
   */
  controllers?: Record<string, ExotelControllerSwitch>;
  /**
   * Route prefix of the management controllers, so they cannot collide with the host's own routes:
   * `exotel/calls`, `exotel/exophones`, `exotel/incidents`, `exotel/maintenance-windows`,
   * `exotel/tickets`. `''` mounts them at the root (the reference service does). A controller given
   * its own `controllers.<name>.path` is mounted at exactly that path. Webhooks keep their paths.
   * @default 'exotel'
   */
  managementPrefix?: string;
}

/** Factory class interface for `forRootAsync({ useClass })`. */
export interface ExotelOptionsFactory {
  createExotelOptions(): ExotelModuleOptions | Promise<ExotelModuleOptions>;
}

export const { ConfigurableModuleClass: ExotelConfigurableModule } =
  new ConfigurableModuleBuilder<ExotelModuleOptions>({ optionsInjectionToken: EXOTEL_MODULE_OPTIONS })
    .setClassMethodName('forRoot')
    .setFactoryMethodName('createExotelOptions')
    .setExtras<ExotelModuleExtras>(
      { isGlobal: false, controllers: {}, managementPrefix: 'exotel' },
      (definition, extras) => {
        const mounting: ExotelModuleMounting = mountControllers(
          EXOTEL_CONTROLLER_DEFINITIONS,
          extras.controllers,
          extras.managementPrefix,
        );
        return {
          ...definition,
          global: extras.isGlobal,
          controllers: [...(definition.controllers ?? []), ...mounting.mounted.map((m) => m.controller)],
          providers: [...(definition.providers ?? []), { provide: EXOTEL_MODULE_EXTRAS, useValue: mounting }],
        };
      },
    )
    .build();
