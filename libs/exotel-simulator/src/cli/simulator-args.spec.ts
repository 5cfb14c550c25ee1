import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSimulatorArgs, simulatorUsage, SimulatorUsageError } from './simulator-args';
import { SIMULATOR_SETTINGS } from './simulator-settings';

/** The problems a command line is rejected with. */
function problemsOf(argv: string[], env: NodeJS.ProcessEnv = {}): readonly string[] {
  try {
    parseSimulatorArgs(argv, env);
  } catch (error) {
    if (error instanceof SimulatorUsageError) return error.problems;
    throw error;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
}

function optionsOf(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const command = parseSimulatorArgs(argv, env);
  if (command.kind !== 'run') throw new Error('expected a run command');
  return command.options;
}

describe('parseSimulatorArgs', () => {
  it('without flags, reads the environment like before', () => {
    expect(optionsOf([], { SIMULATOR_PORT: '5000', EXOTEL_API_KEY: 'env-key' })).toMatchObject({
      port: 5000,
      host: '0.0.0.0',
      apiKey: 'env-key',
      speed: 1,
      latency: true,
    });
  });

  it('reads every flag, in both spellings', () => {
    expect(
      optionsOf([
        '--port=0',
        '--host',
        '127.0.0.1',
        '--account-sid',
        'acme',
        '--api-key',
        'k',
        '--api-token',
        't',
        '--seed',
        '42',
        '--speed',
        '60',
        '--latency',
        'off',
        '--rate-limits',
        'OFF',
        '--exophones',
        '20',
        '--heartbeat-url',
        'http://127.0.0.1:3000/exotel/heartbeat?key=x',
        '--heartbeat-interval',
        '5',
        '--host-aliases',
        'api.exotel.com, api.in.exotel.com',
      ]),
    ).toEqual({
      port: 0,
      host: '127.0.0.1',
      accountSid: 'acme',
      apiKey: 'k',
      apiToken: 't',
      seed: 42,
      speed: 60,
      exoPhones: 20,
      latency: false,
      rateLimits: false,
      heartbeat: { url: 'http://127.0.0.1:3000/exotel/heartbeat?key=x', intervalSeconds: 5 },
      hostAliases: ['api.exotel.com', 'api.in.exotel.com'],
    });
  });

  it('sets the voice limit per sliding minute, and turning limits off still wins', () => {
    expect(optionsOf(['--voice-per-minute', '60']).rateLimits).toEqual({ voicePerMinute: 60 });
    expect(optionsOf([], { SIMULATOR_VOICE_PER_MINUTE: '60' }).rateLimits).toEqual({ voicePerMinute: 60 });
    expect(optionsOf(['--voice-per-minute', '60', '--rate-limits', 'off']).rateLimits).toBe(false);
    expect(problemsOf(['--voice-per-minute', '0'])).toEqual([
      expect.stringContaining('--voice-per-minute: must be a positive whole number'),
    ]);
  });

  it('lets each flag override its environment variable and keeps the others', () => {
    const env = {
      SIMULATOR_PORT: '5000',
      SIMULATOR_SPEED: '10',
      EXOTEL_API_KEY: 'env-key',
      SIMULATOR_HEARTBEAT_URL: 'http://env.example/hb',
      SIMULATOR_HEARTBEAT_INTERVAL_SECONDS: '30',
    };
    expect(optionsOf(['--port', '4010', '--heartbeat-interval', '2'], env)).toMatchObject({
      port: 4010,
      speed: 10,
      apiKey: 'env-key',
      heartbeat: { url: 'http://env.example/hb', intervalSeconds: 2 },
    });
  });

  it('does not blame a bad variable that a flag overrides', () => {
    expect(optionsOf(['--port', '4010'], { SIMULATOR_PORT: 'nope' }).port).toBe(4010);
  });

  it('names an unknown flag, suggests the near one and points at --help', () => {
    expect(problemsOf(['--prot', '4010'])).toEqual([
      'unknown flag --prot (did you mean --port?); exotel-simulator --help lists the flags',
    ]);
    expect(problemsOf(['--colour'])).toEqual([
      'unknown flag --colour; exotel-simulator --help lists the flags',
    ]);
  });

  it('names the flag of a bad value and says what it accepts', () => {
    expect(problemsOf(['--port', 'abc'])).toEqual(['--port: must be a TCP port from 0 to 65535, got "abc"']);
    expect(problemsOf(['--speed=0'])).toEqual(['--speed: must be a positive number, got "0"']);
    expect(problemsOf(['--latency', 'maybe'])).toEqual(['--latency: must be on or off, got "maybe"']);
    expect(problemsOf(['--api-key='])).toEqual(['--api-key: must be a non-empty text, got ""']);
  });

  it('names the variable when the bad value comes from the environment, with every problem at once', () => {
    expect(problemsOf(['--speed=-1'], { SIMULATOR_HEARTBEAT_URL: 'ftp://x' })).toEqual([
      '--speed: must be a positive number, got "-1"',
      'SIMULATOR_HEARTBEAT_URL: must be an http(s) URL, got "ftp://x"',
    ]);
  });

  it('says which flag lacks its value, and refuses positional arguments', () => {
    expect(problemsOf(['--port'])).toEqual([
      '--port needs a value: a TCP port from 0 to 65535 (as --port <value> or --port=<value>)',
    ]);
    expect(problemsOf(['--port', '--speed', '2'])).toEqual([
      '--port needs a value: a TCP port from 0 to 65535 (the next argument is a flag; write --port=<value> for a value starting with -)',
    ]);
    expect(problemsOf(['4010'])).toEqual([
      'unexpected argument "4010": every setting is a flag with a value, e.g. --port 4010',
    ]);
  });

  it('asks for help with --help or -h, whatever else is there', () => {
    expect(parseSimulatorArgs(['--help'], {})).toEqual({ kind: 'help' });
    expect(parseSimulatorArgs(['--port', 'x', '-h'], {})).toEqual({ kind: 'help' });
  });
});

describe('simulatorUsage', () => {
  it('lists every flag with its environment variable and default', () => {
    const usage = simulatorUsage();
    for (const setting of SIMULATOR_SETTINGS) {
      const line = usage.split('\n').find((l) => l.trimStart().startsWith(`--${setting.flag} `));
      expect(line).toContain(setting.env);
      expect(line?.trimEnd().endsWith(setting.shownDefault)).toBe(true);
    }
    expect(usage).toContain('--help');
  });
});

describe('the package README', () => {
  it('documents every flag with its environment variable and default', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    for (const setting of SIMULATOR_SETTINGS) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`--${setting.flag} `));
      expect(row).toContain(`\`${setting.env}\``);
      expect(row).toContain(setting.shownDefault);
    }
  });
});
