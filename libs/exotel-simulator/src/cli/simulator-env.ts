import type { ExotelSimulatorOptions } from '../simulator-options';
import { optionsFromSettings, SimulatorSettingsError } from './simulator-settings';

/** A problem in the simulator's environment, named by variable. */
export class SimulatorEnvError extends SimulatorSettingsError {
  override readonly name = 'SimulatorEnvError';
}

/**
 * Reads the standalone simulator's settings from the environment alone (the variables of
 * `SIMULATOR_SETTINGS`, e.g. `SIMULATOR_PORT`, `EXOTEL_API_KEY`); an empty variable counts as unset.
 * Every problem is reported at once.
 */
export function simulatorOptionsFromEnv(env: NodeJS.ProcessEnv): ExotelSimulatorOptions {
  const { options, problems } = optionsFromSettings((setting) => {
    const raw = env[setting.env]?.trim();
    return raw === undefined || raw === '' ? undefined : { raw, source: setting.env };
  });
  if (problems.length > 0) throw new SimulatorEnvError("The simulator's environment is invalid:", problems);
  return options;
}
