import { ExotelConfigurationError } from 'nestjs-exotel';
import { existsSync } from 'node:fs';
import { loadServiceConfig } from './config/service-config';
import { startDemo, type DemoSetup } from './demo/demo-mode';
import { startVoiceDemo } from './demo/voice-demo';
import { createPino } from './logging/pino-logger';
import { createServiceApp } from './service-app';
import { GracefulShutdown } from './shutdown/graceful-shutdown';

/** Starts the reference service: `npm start`. */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config = loadServiceConfig(process.env);
  const pino = createPino(config.logLevel);
  let demo: DemoSetup | undefined;
  if (config.demo) {
    demo = await startDemo(config);
    config = demo.config;
  }
  const app = await createServiceApp(config, { pino });
  const shutdown = new GracefulShutdown(app, config.shutdown, pino).listen();
  await app.listen(config.http.port, config.http.host);
  const url = `http://${config.http.host === '0.0.0.0' ? 'localhost' : config.http.host}:${config.http.port}`;
  if (demo) {
    const { simulator } = demo;
    const local = `http://${config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host}:${config.http.port}`;
    const scenario = demo.startScenario(local, (change) =>
      pino.info(change, 'demo: ExoPhone connectivity changed'),
    );
    const voice = config.voice.echoAgent
      ? startVoiceDemo(simulator, {
          serviceUrl: local,
          secret: config.exotel.webhookSecrets[0],
          agentNumber: config.voice.transferNumber,
          log: (summary, message) => pino.info(summary, message),
        })
      : undefined;
    // The demo's traffic stops first; its simulator lives in this process and ends with it.
    shutdown.onBegin(() => {
      voice?.stop();
      scenario.stop();
    });
  }
  pino.info(
    { url, database: config.database.type, kafka: config.kafka.brokers.length > 0 },
    `exotel-service listening on ${url}`,
  );
  if (demo) announceDemo(demo, url);
}

function announceDemo(demo: DemoSetup, url: string): void {
  const lines = [
    '',
    'Demo mode: no Exotel credentials are set, so the service talks to the built-in Exotel simulator',
    `  simulator:        ${demo.simulator.baseUrl}  (control API: /_sim; heartbeats to /exotel/heartbeat, outages every few minutes)`,
    `  API docs:         ${url}/docs`,
    '  voice-AI:         an inbound call every 2 minutes: passthru -> echo agent on the stream -> DTMF 0 -> transfer',
  ];
  if (demo.generated.serviceApiKey)
    lines.push(
      `  management key:   ${demo.generated.serviceApiKey}  (Authorization: Bearer <key>; generated for this run)`,
    );
  lines.push('Set EXOTEL_API_KEY, EXOTEL_API_TOKEN and EXOTEL_SID to use a real Exotel account.', '');
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((error: unknown) => {
  if (error instanceof ExotelConfigurationError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(
      `exotel-service failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
