import { AGENT } from './support/activity';
import { faultSeed, reportCounts, withSeed } from './support/fault-seed';
import { createPrivateDatabase, type PrivateDatabase } from './support/private-database';
import { ServiceProcess } from './support/service-process';
import { SimulatorProcess } from './support/simulator-process';

const CLIENTS = 30;
/** How long the simulator takes to answer each Calls/connect (speed 1: real milliseconds). */
const CONNECT_DELAY_MS = 8_000;
/** The service's shutdown grace (default 25 s, under Kubernetes' 30 s). */
const GRACE_MS = 25_000;

// SIGTERM reaches a replica with 30 calls in flight to a slow Exotel: every client still gets an
// HTTP answer (no socket error, so no blind retry dials twice) and the process exits within the
// grace (issue 17, item 5).
describe('SIGTERM with 30 calls in flight', () => {
  let database: PrivateDatabase;
  let simulator: SimulatorProcess;
  let service: ServiceProcess | undefined;

  afterAll(async () => {
    await service?.process.kill();
    await simulator?.stop();
    await database?.drop();
  });

  it('answers every client and exits within the grace', async () => {
    const seed = faultSeed();
    await withSeed(__filename, seed, async (random) => {
      database = await createPrivateDatabase();
      simulator = await SimulatorProcess.start({ exoPhones: 8, seed });
      service = await ServiceProcess.start({ exotelBaseUrl: simulator.baseUrl, databaseUrl: database.url });
      const sids = (await simulator.exoPhones()).map((phone) => phone.sid);
      expect((await simulator.emitHeartbeat(service.heartbeatUrl)).ok).toBe(true);
      await simulator.control('POST', '/faults', { fault: { delayMs: CONNECT_DELAY_MS }, count: CLIENTS });

      let sigtermAt = 0;
      const results = await Promise.all(
        Array.from({ length: CLIENTS }, async (_, i) => {
          const body = {
            from: `+9198${String(20_000_000 + i).slice(-8)}`,
            to: AGENT,
            callerId: random.pick(sids),
          };
          const started = service!.api('POST', '/calls', body);
          if (i === 0) {
            // SIGTERM a seeded 1-4 s after the calls went out (the probe: 3 s).
            await new Promise((resolve) => setTimeout(resolve, random.int(1_000, 4_000)));
            sigtermAt = Date.now();
            service!.process.signal('SIGTERM');
          }
          return started.then(
            (answer) => ({
              status: answer.status,
              outcome: answer.body?.outcome as string | undefined,
              error: undefined,
            }),
            (error: Error & { cause?: { code?: string } }) => ({
              status: 0,
              outcome: undefined,
              error: error.cause?.code ?? error.message,
            }),
          );
        }),
      );
      const exit = await service.process.exited;
      const exitAfterMs = exit.at - sigtermAt;
      const byAnswer: Record<string, number> = {};
      for (const r of results) {
        const label = r.error ? `error ${r.error}` : `${r.status} ${r.outcome ?? ''}`.trim();
        byAnswer[label] = (byAnswer[label] ?? 0) + 1;
      }
      const placed = (await simulator.calls()).length;
      reportCounts('SIGTERM under load', {
        seed,
        clients: CLIENTS,
        answers: byAnswer,
        placedBySimulator: placed,
        exitCode: exit.code,
        exitSignal: exit.signal,
        exitAfterMs,
      });

      expect(results.filter((r) => r.error !== undefined)).toEqual([]);
      expect(exitAfterMs).toBeLessThanOrEqual(GRACE_MS);
      expect(exit.code).toBe(0);
    });
  });
});
