import type { ExotelSimulatorOptions } from '../simulator-options';

/** A problem in the simulator's environment, named by variable. */
export class SimulatorEnvError extends Error {
  override readonly name = 'SimulatorEnvError';
}

/**
 * Reads the standalone simulator's settings from the environment (`npm run start:simulator`):
 *
 * | Variable | Default | Meaning |
 * |---|---|---|
 * | `SIMULATOR_PORT`, `SIMULATOR_HOST` | `4010`, `0.0.0.0` | where it listens |
 * | `EXOTEL_SID`, `EXOTEL_API_KEY`, `EXOTEL_API_TOKEN` | `sim-account`, `sim-key`, `sim-token` | the credentials it accepts |
 * | `SIMULATOR_SEED` | `20181022` | seed of SIDs, latency draws and coin flips |
 * | `SIMULATOR_SPEED` | `1` | simulated seconds per real second (call lifecycles, latency) |
 * | `SIMULATOR_LATENCY` | `on` | `on`: Exotel's published Calls/connect latency; `off` |
 * | `SIMULATOR_RATE_LIMITS` | `on` | `on`: 200 voice requests/min, 50 ExoPhone details/min; `off` |
 * | `SIMULATOR_EXOPHONES` | `8` | how many ExoPhones to seed across circles |
 * | `SIMULATOR_HEARTBEAT_URL`, `SIMULATOR_HEARTBEAT_INTERVAL_SECONDS` | none, `60` | heartbeats to this URL |
 * | `SIMULATOR_HOST_ALIASES` | none (any host) | comma-separated API host names to answer as, e.g. `api.exotel.com,api.in.exotel.com` |
 *
 * Every problem is reported at once.
 */
export function simulatorOptionsFromEnv(env: NodeJS.ProcessEnv): ExotelSimulatorOptions {
  const problems: string[] = [];
  const text = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const number = (name: string, fallback: number, check: (n: number) => boolean, what: string): number => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (Number.isFinite(value) && check(value)) return value;
    problems.push(`${name}: must be ${what}, got "${raw}"`);
    return fallback;
  };
  const toggle = (name: string): boolean => {
    const raw = (text(name) ?? 'on').toLowerCase();
    if (['on', 'true', '1'].includes(raw)) return true;
    if (['off', 'false', '0'].includes(raw)) return false;
    problems.push(`${name}: must be on or off, got "${raw}"`);
    return true;
  };
  const port = number(
    'SIMULATOR_PORT',
    4010,
    (n) => Number.isInteger(n) && n >= 0 && n < 65536,
    'a TCP port',
  );
  const speed = number('SIMULATOR_SPEED', 1, (n) => n > 0, 'a positive number');
  const exoPhones = number(
    'SIMULATOR_EXOPHONES',
    8,
    (n) => Number.isInteger(n) && n > 0,
    'a positive whole number',
  );
  const interval = number(
    'SIMULATOR_HEARTBEAT_INTERVAL_SECONDS',
    60,
    (n) => n > 0,
    'a positive number of seconds',
  );
  const latency = toggle('SIMULATOR_LATENCY');
  const rateLimits = toggle('SIMULATOR_RATE_LIMITS');
  const heartbeatUrl = text('SIMULATOR_HEARTBEAT_URL');
  if (heartbeatUrl !== undefined && !/^https?:\/\/\S+$/.test(heartbeatUrl)) {
    problems.push('SIMULATOR_HEARTBEAT_URL: must be an http(s) URL');
  }
  if (problems.length > 0)
    throw new SimulatorEnvError(`The simulator's environment is invalid:\n  ${problems.join('\n  ')}`);
  const seed = text('SIMULATOR_SEED');
  return {
    port,
    host: text('SIMULATOR_HOST') ?? '0.0.0.0',
    accountSid: text('EXOTEL_SID'),
    apiKey: text('EXOTEL_API_KEY'),
    apiToken: text('EXOTEL_API_TOKEN'),
    seed: seed === undefined ? undefined : /^\d+$/.test(seed) ? Number(seed) : seed,
    speed,
    exoPhones,
    latency,
    rateLimits: rateLimits ? undefined : false,
    heartbeat: heartbeatUrl ? { url: heartbeatUrl, intervalSeconds: interval } : undefined,
    hostAliases: text('SIMULATOR_HOST_ALIASES')
      ?.split(',')
      .map((host) => host.trim())
      .filter((host) => host !== ''),
  };
}
