import { ExotelSimulator } from '@app/exotel-simulator';

/** Runs the Exotel simulator as a standalone server (`npm run start:simulator`). */
async function main(): Promise<void> {
  const simulator = new ExotelSimulator({
    port: Number(process.env.SIMULATOR_PORT ?? 4010),
    host: process.env.SIMULATOR_HOST ?? '0.0.0.0',
    accountSid: process.env.EXOTEL_SID,
    apiKey: process.env.EXOTEL_API_KEY,
    apiToken: process.env.EXOTEL_API_TOKEN,
  });
  const url = await simulator.start();
  process.stdout.write(`Exotel simulator listening on ${url} (account ${simulator.accountSid})\n`);
  const stop = () => void simulator.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
