import { ExotelSimulator } from '../exotel-simulator';
import { SimulatorEnvError, simulatorOptionsFromEnv } from './simulator-env';

/** Runs the Exotel simulator as a standalone server (`npm run start:simulator`). */
async function main(): Promise<void> {
  const simulator = new ExotelSimulator(simulatorOptionsFromEnv(process.env));
  const url = await simulator.start();
  const { options } = simulator;
  process.stdout.write(
    [
      `Exotel simulator listening on ${url} (account ${simulator.accountSid})`,
      `  speed ${options.speed}x, seed ${options.seed}, ${simulator.exoPhones().length} ExoPhones, ` +
        `latency ${options.latency ? 'on' : 'off'}, rate limits ${options.rateLimits ? 'on' : 'off'}`,
      `  heartbeat: ${options.heartbeat ? `every ${options.heartbeat.intervalSeconds} s` : 'off (PUT /_sim/heartbeat to start)'}`,
      `  control API: ${url}/_sim`,
      '',
    ].join('\n'),
  );
  const stop = () => void simulator.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    error instanceof SimulatorEnvError
      ? `${error.message}\n`
      : `exotel-simulator failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
