import { Controller, type Type } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import type { ConfigurationProblem } from '../errors/exotel-configuration.error';
import type { ExotelControllerKind, MountedController } from '../options/mounted-controller';

/** A controller the module can mount. */
export interface ExotelControllerDefinition {
  /** Name used in the module extras, e.g. `heartbeat`. */
  readonly name: string;
  readonly kind: ExotelControllerKind;
  /** The controller class; its `@Controller()` path is the default route. */
  readonly controller: Type;
  /** The route reads its own request body (it must be skipped by the shared body parsers). */
  readonly readsOwnBody?: boolean;
}

/** Switch for one controller: `false` disables it, `{ path }` moves it. */
export type ExotelControllerSwitch = boolean | { enabled?: boolean; path?: string };

/**
 * What the module-definition transform leaves for the resolved-options factory (and the body
 * shield): the controllers mounted and the problems with the switches.
 */
export interface ExotelModuleMounting {
  readonly mounted: readonly MountedController[];
  readonly problems: readonly ConfigurationProblem[];
}

/**
 * Picks the controllers to mount from the switches given at import time, and gives each the path it
 * was asked for. A moved controller is mounted as a subclass carrying the new path, so the original
 * class (and any other module instance) is left untouched.
 */
export function mountControllers(
  definitions: readonly ExotelControllerDefinition[],
  switches: Readonly<Record<string, ExotelControllerSwitch | undefined>> = {},
  managementPrefix = 'exotel',
): { mounted: MountedController[]; problems: ConfigurationProblem[] } {
  const known = new Set(definitions.map((d) => d.name));
  const problems: ConfigurationProblem[] = Object.keys(switches)
    .filter((name) => !known.has(name))
    .map((name) => ({
      path: `controllers.${name}`,
      problem: 'is not a controller of ExotelModule',
      fix: `use one of: ${[...known].join(', ') || '(none)'}`,
    }));

  const prefix = trimSlashes(managementPrefix ?? '');
  if (/[?#\s]/.test(prefix))
    problems.push({
      path: 'managementPrefix',
      problem: 'is not a route path',
      fix: 'give a path such as "exotel" or "telephony/exotel", or "" for the root',
    });
  const mounted: MountedController[] = [];
  for (const definition of definitions) {
    const choice = switches[definition.name];
    const enabled = typeof choice === 'boolean' ? choice : (choice?.enabled ?? true);
    if (!enabled) continue;
    const ownPath = String(Reflect.getMetadata(PATH_METADATA, definition.controller) ?? '');
    const defaultPath = definition.kind === 'management' && prefix !== '' ? `${prefix}/${ownPath}` : ownPath;
    const wanted =
      typeof choice === 'object' && choice.path !== undefined ? trimSlashes(choice.path) : defaultPath;
    if (typeof choice === 'object' && choice.path !== undefined && wanted === '') {
      problems.push({
        path: `controllers.${definition.name}.path`,
        problem: 'is empty',
        fix: 'give a route path such as "telephony/heartbeat", or omit it to keep the default',
      });
    }
    mounted.push({
      name: definition.name,
      kind: definition.kind,
      path: wanted,
      controller: wanted === ownPath ? definition.controller : withPath(definition.controller, wanted),
      readsOwnBody: definition.readsOwnBody ?? false,
    });
  }
  return { mounted, problems };
}

function withPath(base: Type, path: string): Type {
  // The subclass inherits routes, guards and injected dependencies; only its path differs.
  const moved = class extends (base as new (...args: never[]) => object) {};
  Object.defineProperty(moved, 'name', { value: base.name });
  Controller(path)(moved);
  return moved as Type;
}

function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}
