import { faultRounds, faultSeed, reportCounts, withSeed } from './support/fault-seed';
import { createPrivateDatabase } from './support/private-database';
import { freeLoopbackPort, ServiceProcess } from './support/service-process';
import { SimulatorProcess } from './support/simulator-process';

// Two replicas started at the same instant on an empty PostgreSQL database race their
// migrations: both must come up, and neither may log an error (issue 17, item 4).
describe('two replicas starting on an empty database', () => {
  let simulator: SimulatorProcess;

  beforeAll(async () => {
    simulator = await SimulatorProcess.start();
  });
  afterAll(async () => {
    await simulator.stop();
  });

  it('both come up, with no error logged, ten times', async () => {
    const base = faultSeed();
    const rounds = faultRounds(10);
    let clean = 0;
    for (let round = 0; round < rounds; round++) {
      await withSeed(__filename, base + round, async () => {
        const database = await createPrivateDatabase();
        const ports = [await freeLoopbackPort(), await freeLoopbackPort()];
        const wiring = { exotelBaseUrl: simulator.baseUrl, databaseUrl: database.url };
        const replicas = ports.map((port, i) => ServiceProcess.spawn(wiring, port, `replica ${i + 1}`));
        try {
          const started = await Promise.allSettled(replicas.map((replica) => replica.waitStarted()));
          const errors = replicas.flatMap((replica) =>
            replica.errorLines().map((line) => `${replica.process.label}: ${line}`),
          );
          reportCounts('migration race', {
            round: round + 1,
            seed: base + round,
            started: started.filter((s) => s.status === 'fulfilled').length,
            errorLines: errors.length,
          });
          expect(started.map((s) => (s.status === 'fulfilled' ? 'up' : String(s.reason)))).toEqual([
            'up',
            'up',
          ]);
          expect(errors).toEqual([]);
          clean += 1;
        } finally {
          await Promise.all(replicas.map((replica) => replica.process.kill()));
          await database.drop();
        }
      });
    }
    reportCounts('migration race', { rounds, clean });
  });
});
