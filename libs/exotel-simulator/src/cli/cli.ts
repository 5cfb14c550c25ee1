#!/usr/bin/env node
import { ExotelSimulator } from '../exotel-simulator';
import { describeListenError } from './listen-error';
import { parseSimulatorArgs, simulatorUsage } from './simulator-args';
import { SimulatorSettingsError } from './simulator-settings';
import { firstHeartbeatLine, startupBanner } from './startup-banner';

/** Exit codes: 1 when it cannot start (port, host), 2 for a bad command line or environment. */
const EXIT_START_FAILED = 1;
const EXIT_USAGE = 2;

/** Runs the Exotel simulator as a standalone server: `npx exotel-simulator --port 4010`. */
async function main(): Promise<void> {
  const command = parseSimulatorArgs(process.argv.slice(2), process.env);
  if (command.kind === 'help') {
    process.stdout.write(simulatorUsage());
    return;
  }
  const { options } = command;
  const simulator = new ExotelSimulator(options);
  try {
    // Heartbeats from the options go out as soon as it listens, then every interval.
    await simulator.start();
  } catch (error) {
    const line = describeListenError(error, { port: options.port ?? 0, host: options.host ?? '' });
    if (!line) throw error;
    await simulator.stop();
    fail(line, EXIT_START_FAILED);
  }
  process.stdout.write(startupBanner(simulator));
  let stopping = false;
  if (simulator.heartbeatSettings()) {
    // Retries can take a while (Exotel's 15 s timeout, twice more); a stop ends the wait.
    simulator
      .waitForHeartbeat(() => true, 10 * 60_000)
      .then((delivery) => stopping || process.stdout.write(firstHeartbeatLine(delivery)))
      .catch(() => undefined);
  }
  const stop = () => {
    stopping = true;
    void simulator.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function fail(line: string, code: number): never {
  process.stderr.write(`exotel-simulator: ${line}\n`);
  process.exit(code);
}

main().catch((error: unknown) => {
  if (error instanceof SimulatorSettingsError) fail(error.problems.join('\nexotel-simulator: '), EXIT_USAGE);
  process.stderr.write(
    `exotel-simulator failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(EXIT_START_FAILED);
});
