import { parseArgs } from 'node:util';
import type { ExotelSimulatorOptions } from '../simulator-options';
import {
  optionsFromSettings,
  SIMULATOR_SETTINGS,
  SimulatorSettingsError,
  type SimulatorSetting,
} from './simulator-settings';

/** A bad command line or environment: one line per problem, the CLI exits 2. */
export class SimulatorUsageError extends SimulatorSettingsError {
  override readonly name = 'SimulatorUsageError';
}

/** What the command line asks for. */
export type SimulatorCommand =
  { readonly kind: 'help' } | { readonly kind: 'run'; readonly options: ExotelSimulatorOptions };

/**
 * Reads the CLI's flags (`--port 4010`, `--port=4010`) over the environment: each flag overrides
 * its variable, and a setting given by neither takes its default. Throws `SimulatorUsageError`
 * listing every problem, each naming the flag or variable and what it accepts.
 */
export function parseSimulatorArgs(argv: readonly string[], env: NodeJS.ProcessEnv): SimulatorCommand {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        help: { type: 'boolean', short: 'h' },
        ...Object.fromEntries(SIMULATOR_SETTINGS.map((s) => [s.flag, { type: 'string' as const }])),
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new SimulatorUsageError('Bad command line:', [describeParseError(error)]);
  }
  if (values.help === true) return { kind: 'help' };
  const { options, problems } = optionsFromSettings((setting) => {
    const flag = values[setting.flag];
    if (typeof flag === 'string') return { raw: flag.trim(), source: `--${setting.flag}` };
    const raw = env[setting.env]?.trim();
    return raw === undefined || raw === '' ? undefined : { raw, source: setting.env };
  });
  if (problems.length > 0) throw new SimulatorUsageError('Bad settings:', problems);
  return { kind: 'run', options };
}

/** `exotel-simulator --help`: every flag with its variable, default and meaning. */
export function simulatorUsage(): string {
  const flagText = (s: SimulatorSetting) => `--${s.flag} ${s.placeholder}`;
  const width = Math.max(...SIMULATOR_SETTINGS.map((s) => flagText(s).length));
  const envWidth = Math.max(...SIMULATOR_SETTINGS.map((s) => s.env.length));
  const rows = SIMULATOR_SETTINGS.map(
    (s) =>
      `  ${flagText(s).padEnd(width)}  ${s.env.padEnd(envWidth)}  ${s.shownDefault}\n` +
      `  ${''.padEnd(width)}  ${s.description}`,
  );
  return [
    'Usage: exotel-simulator [flags]',
    '',
    'A local Exotel for tests and demos: the voice API (Calls/connect, call details), the ExoPhone APIs,',
    'status callbacks, heartbeats and a control API under /_sim to script outcomes and inject faults.',
    'Each flag overrides its environment variable.',
    '',
    `  ${'Flag'.padEnd(width)}  ${'Variable'.padEnd(envWidth)}  Default`,
    ...rows,
    `  ${'-h, --help'.padEnd(width)}  ${''.padEnd(envWidth)}  print this help`,
    '',
    'Example: npx exotel-simulator --port 4010 --speed 10',
    '',
  ].join('\n');
}

/** One line for what `util.parseArgs` rejected, naming the flag. */
function describeParseError(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  // parseArgs quotes the argument it rejects: '--prot', '--port <value>', '-h, --help', 'foo'.
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const guess = closestFlag(quoted);
    return `unknown flag ${quoted}${guess ? ` (did you mean --${guess}?)` : ''}; exotel-simulator --help lists the flags`;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
    return `unexpected argument "${quoted}": every setting is a flag with a value, e.g. --port 4010`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const flag = /--[\w-]+/.exec(quoted)?.[0] ?? quoted;
    if (flag === '--help') return '--help takes no value';
    const setting = SIMULATOR_SETTINGS.find((s) => `--${s.flag}` === flag);
    const how = message.includes('ambiguous')
      ? `the next argument is a flag; write ${flag}=<value> for a value starting with -`
      : `as ${flag} <value> or ${flag}=<value>`;
    return `${flag} needs a value${setting ? `: ${setting.accepts}` : ''} (${how})`;
  }
  return message.split('\n')[0];
}

/** The known flag a typo most likely meant (at most two edits away). */
function closestFlag(given: string): string | undefined {
  const name = given.replace(/^-+/, '').split('=')[0];
  let best: { flag: string; distance: number } | undefined;
  for (const flag of ['help', ...SIMULATOR_SETTINGS.map((s) => s.flag)]) {
    const distance = editDistance(name, flag);
    if (distance <= 2 && (!best || distance < best.distance)) best = { flag, distance };
  }
  return best?.flag;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}
