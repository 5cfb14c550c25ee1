import type { ExotelSimulatorOptions } from '../simulator-options';

/** Problems in the standalone simulator's settings, one line each, naming the flag or variable. */
export class SimulatorSettingsError extends Error {
  override readonly name: string = 'SimulatorSettingsError';

  constructor(
    heading: string,
    readonly problems: readonly string[],
  ) {
    super(`${heading}\n  ${problems.join('\n  ')}`);
  }
}

/** A setting's parsed value, or `undefined` when the text is not acceptable. */
type Parse = (raw: string) => unknown;

/** One setting of the standalone simulator: its flag, its environment variable and its default. */
export interface SimulatorSetting {
  /** The field it fills, before assembling the options. */
  readonly key: SettingKey;
  /** Long flag without the dashes, e.g. `port` for `--port`. */
  readonly flag: string;
  /** What `--help` shows after the flag, e.g. `<n>`. */
  readonly placeholder: string;
  readonly env: string;
  /** The default as `--help` and the README show it. */
  readonly shownDefault: string;
  readonly description: string;
  /** What is accepted, for the message about a bad value ("must be …"). */
  readonly accepts: string;
  readonly parse: Parse;
}

type SettingKey =
  | 'port'
  | 'host'
  | 'accountSid'
  | 'apiKey'
  | 'apiToken'
  | 'seed'
  | 'speed'
  | 'latency'
  | 'rateLimits'
  | 'voicePerMinute'
  | 'exoPhones'
  | 'heartbeatUrl'
  | 'heartbeatInterval'
  | 'hostAliases';

const anyText: Parse = (raw) => raw;
const positive: Parse = (raw) => {
  const value = Number(raw);
  return Number.isFinite(value) && value > 0 ? value : undefined;
};
const positiveWhole: Parse = (raw) => {
  const value = Number(raw);
  return Number.isInteger(value) && value > 0 ? value : undefined;
};
const toggle: Parse = (raw) => {
  const value = raw.toLowerCase();
  if (['on', 'true', '1'].includes(value)) return true;
  if (['off', 'false', '0'].includes(value)) return false;
  return undefined;
};

/**
 * Every setting of the standalone simulator, in `--help` order. The defaults differ from the
 * library's where a server wants them to: port 4010 rather than a free one, every interface (a
 * container's port mapping reaches it), Exotel's latency on.
 */
export const SIMULATOR_SETTINGS: readonly SimulatorSetting[] = [
  {
    key: 'port',
    flag: 'port',
    placeholder: '<n>',
    env: 'SIMULATOR_PORT',
    shownDefault: '4010',
    description: 'TCP port to listen on; 0 picks a free one',
    accepts: 'a TCP port from 0 to 65535',
    parse: (raw) => {
      const value = Number(raw);
      return /^\d+$/.test(raw) && value < 65536 ? value : undefined;
    },
  },
  {
    key: 'host',
    flag: 'host',
    placeholder: '<address>',
    env: 'SIMULATOR_HOST',
    shownDefault: '0.0.0.0',
    description: 'interface to listen on (127.0.0.1: this machine only)',
    accepts: 'an interface address or host name',
    parse: (raw) => (/\s/.test(raw) ? undefined : raw),
  },
  {
    key: 'accountSid',
    flag: 'account-sid',
    placeholder: '<sid>',
    env: 'EXOTEL_SID',
    shownDefault: 'sim-account',
    description: 'account SID it serves (the /v1/Accounts/<sid>/ part of the URLs)',
    accepts: 'a non-empty text',
    parse: anyText,
  },
  {
    key: 'apiKey',
    flag: 'api-key',
    placeholder: '<key>',
    env: 'EXOTEL_API_KEY',
    shownDefault: 'sim-key',
    description: 'API key it accepts (the Basic auth user name)',
    accepts: 'a non-empty text',
    parse: anyText,
  },
  {
    key: 'apiToken',
    flag: 'api-token',
    placeholder: '<token>',
    env: 'EXOTEL_API_TOKEN',
    shownDefault: 'sim-token',
    description: 'API token it accepts (the Basic auth password)',
    accepts: 'a non-empty text',
    parse: anyText,
  },
  {
    key: 'seed',
    flag: 'seed',
    placeholder: '<seed>',
    env: 'SIMULATOR_SEED',
    shownDefault: '20181022',
    description: 'seed of call SIDs, latency draws and coin flips',
    accepts: 'a number or a text',
    parse: (raw) => (/^\d+$/.test(raw) ? Number(raw) : raw),
  },
  {
    key: 'speed',
    flag: 'speed',
    placeholder: '<x>',
    env: 'SIMULATOR_SPEED',
    shownDefault: '1',
    description: 'simulated seconds per real second (call lifecycles, latency)',
    accepts: 'a positive number',
    parse: positive,
  },
  {
    key: 'latency',
    flag: 'latency',
    placeholder: 'on|off',
    env: 'SIMULATOR_LATENCY',
    shownDefault: 'on',
    description: "on: Exotel's published Calls/connect response times; off: answer at once",
    accepts: 'on or off',
    parse: toggle,
  },
  {
    key: 'rateLimits',
    flag: 'rate-limits',
    placeholder: 'on|off',
    env: 'SIMULATOR_RATE_LIMITS',
    shownDefault: 'on',
    description: "on: Exotel's 200 voice requests/min and 50 ExoPhone details/min; off",
    accepts: 'on or off',
    parse: toggle,
  },
  {
    key: 'voicePerMinute',
    flag: 'voice-per-minute',
    placeholder: '<n>',
    env: 'SIMULATOR_VOICE_PER_MINUTE',
    shownDefault: '200',
    description: 'voice requests accepted per sliding minute when rate limits are on (then 429)',
    accepts: 'a positive whole number',
    parse: positiveWhole,
  },
  {
    key: 'exoPhones',
    flag: 'exophones',
    placeholder: '<n>',
    env: 'SIMULATOR_EXOPHONES',
    shownDefault: '8',
    description: 'how many ExoPhones (caller ids) to seed across circles',
    accepts: 'a positive whole number',
    parse: positiveWhole,
  },
  {
    key: 'heartbeatUrl',
    flag: 'heartbeat-url',
    placeholder: '<url>',
    env: 'SIMULATOR_HEARTBEAT_URL',
    shownDefault: 'none',
    description: 'POST Exotel heartbeats here, the first one at start',
    accepts: 'an http(s) URL',
    parse: (raw) => (/^https?:\/\/\S+$/.test(raw) ? raw : undefined),
  },
  {
    key: 'heartbeatInterval',
    flag: 'heartbeat-interval',
    placeholder: '<s>',
    env: 'SIMULATOR_HEARTBEAT_INTERVAL_SECONDS',
    shownDefault: '60',
    description: 'seconds between heartbeats (real time)',
    accepts: 'a positive number of seconds',
    parse: positive,
  },
  {
    key: 'hostAliases',
    flag: 'host-aliases',
    placeholder: '<hosts>',
    env: 'SIMULATOR_HOST_ALIASES',
    shownDefault: 'any host',
    description: 'comma-separated API host names to answer as, e.g. api.exotel.com,api.in.exotel.com',
    accepts: 'comma-separated host names',
    parse: (raw) =>
      raw
        .split(',')
        .map((host) => host.trim())
        .filter((host) => host !== ''),
  },
];

/** A setting's text and where it came from (`--port` or `SIMULATOR_PORT`), for messages. */
export interface SettingInput {
  readonly raw: string;
  readonly source: string;
}

/**
 * Builds the simulator's options from the settings' texts (`undefined`: not given, the default
 * applies). Returns every problem at once rather than stopping at the first.
 */
export function optionsFromSettings(input: (setting: SimulatorSetting) => SettingInput | undefined): {
  options: ExotelSimulatorOptions;
  problems: string[];
} {
  const problems: string[] = [];
  const values: Partial<Record<SettingKey, unknown>> = {};
  for (const setting of SIMULATOR_SETTINGS) {
    const given = input(setting);
    if (given === undefined) continue;
    // An empty flag value is a mistake (an empty variable counts as unset before this).
    const value = given.raw === '' ? undefined : setting.parse(given.raw);
    if (value === undefined) problems.push(`${given.source}: must be ${setting.accepts}, got "${given.raw}"`);
    else values[setting.key] = value;
  }
  const heartbeatUrl = values.heartbeatUrl as string | undefined;
  const options: ExotelSimulatorOptions = {
    port: (values.port as number | undefined) ?? 4010,
    host: (values.host as string | undefined) ?? '0.0.0.0',
    accountSid: values.accountSid as string | undefined,
    apiKey: values.apiKey as string | undefined,
    apiToken: values.apiToken as string | undefined,
    seed: values.seed as number | string | undefined,
    speed: (values.speed as number | undefined) ?? 1,
    exoPhones: (values.exoPhones as number | undefined) ?? 8,
    latency: (values.latency as boolean | undefined) ?? true,
    // The library's limits are on unless turned off; undefined keeps its defaults.
    rateLimits:
      values.rateLimits === false
        ? false
        : values.voicePerMinute === undefined
          ? undefined
          : { voicePerMinute: values.voicePerMinute as number },
    heartbeat: heartbeatUrl
      ? { url: heartbeatUrl, intervalSeconds: (values.heartbeatInterval as number | undefined) ?? 60 }
      : undefined,
    hostAliases: values.hostAliases as string[] | undefined,
  };
  return { options, problems };
}
