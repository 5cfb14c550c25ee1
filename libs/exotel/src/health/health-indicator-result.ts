/**
 * A readiness detail in Terminus's shape, `{ [key]: { status, ...details } }`, so the module's
 * indicators plug into a host's `HealthCheckService.check([...])` without this library depending on
 * `@nestjs/terminus`. `degraded` is reported as healthy by Terminus (only `down` fails a check):
 * the detail says what is wrong while the instance stays in rotation.
 */
export type ExotelHealthIndicatorResult = Record<
  string,
  { status: 'up' | 'down' | 'degraded'; [detail: string]: unknown }
>;
