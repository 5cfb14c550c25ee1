import { faultRounds, faultSeed, reportCounts, withSeed, type FaultRandom } from './support/fault-seed';
import { startFreezableKafka, type FreezableKafka } from './support/mock-kafka';
import { outboxAgainstKafka, waitOutboxDelivered } from './support/outbox-checks';
import { createPrivateDatabase } from './support/private-database';
import { freeLoopbackPort, ServiceProcess } from './support/service-process';
import { SimulatorProcess, type SimExoPhone } from './support/simulator-process';
import { until } from '../support/until';

const EXOPHONES = 2_000;
const HEARTBEATS = 4;
const STATUSES = ['active', 'partial_network_outage', 'major_outage'] as const;
/** Longest wait after a heartbeat before the kill: covers its apply and the relay of its events. */
const MAX_KILL_DELAY_MS = 3_000;

type States = Map<string, string>;
const key = (sid: string, direction: string) => `${sid}/${direction}`;
const statesOf = (phones: readonly SimExoPhone[]): States =>
  new Map(
    phones.flatMap((p) => [
      [key(p.sid, 'incoming'), p.incoming],
      [key(p.sid, 'outgoing'), p.outgoing],
    ]),
  );

// kill -9 of the service at seeded points while it applies heartbeats covering 2,000 ExoPhones and
// relays their events: once restarted, every change is applied once and every event is on Kafka.
describe('kill -9 during a 2,000-ExoPhone heartbeat apply and the relay', () => {
  let kafka: FreezableKafka;
  let simulator: SimulatorProcess;

  beforeAll(async () => {
    kafka = await startFreezableKafka();
    simulator = await SimulatorProcess.start({ exoPhones: EXOPHONES });
  });
  afterAll(async () => {
    await simulator?.stop();
    await kafka?.stop();
  });

  it('applies every change once and relays every event, ten seeds', async () => {
    const base = faultSeed();
    const rounds = faultRounds(10);
    for (let round = 0; round < rounds; round++) {
      const seed = base + round;
      await withSeed(__filename, seed, (random) => killRound(seed, random));
    }
  });

  async function killRound(seed: number, random: FaultRandom): Promise<void> {
    const database = await createPrivateDatabase();
    const port = await freeLoopbackPort();
    const topicPrefix = `kill${seed}`;
    const wiring = {
      exotelBaseUrl: simulator.baseUrl,
      databaseUrl: database.url,
      kafkaBrokers: kafka.bootstrapServers,
      topicPrefix,
    };
    let service: ServiceProcess | undefined;
    try {
      await simulator.control('POST', '/reset', { seed });
      service = await ServiceProcess.start(wiring, port, `service (seed ${seed})`);
      await until(
        async () =>
          (await database.count('select count(*) from exotel_exophones where in_inventory')) === EXOPHONES,
        60_000,
      );
      const sids = (await simulator.exoPhones()).map((phone) => phone.sid);
      const killAfter = new Set(random.sample([...Array(HEARTBEATS).keys()], random.int(1, 2)));
      let previous: States = new Map(
        sids.flatMap((sid) => [
          [key(sid, 'incoming'), 'unknown'],
          [key(sid, 'outgoing'), 'unknown'],
        ]),
      );
      let expectedChanges = 0;
      const kills: { afterHeartbeat: number; delayMs: number }[] = [];
      for (let beat = 0; beat < HEARTBEATS; beat++) {
        if (beat > 0) await flipHealth(sids, random);
        const states = statesOf(await simulator.exoPhones());
        for (const [at, state] of states) if (previous.get(at) !== state) expectedChanges += 1;
        previous = states;
        const delivery = await simulator.emitHeartbeat(service.heartbeatUrl);
        expect(delivery.ok).toBe(true);
        if (killAfter.has(beat)) {
          const delayMs = random.int(0, MAX_KILL_DELAY_MS);
          await new Promise((resolve) => setTimeout(resolve, delayMs));
          await service.process.kill();
          kills.push({ afterHeartbeat: beat, delayMs });
          service = await ServiceProcess.start(wiring, port, `service (seed ${seed}, restarted)`);
        }
      }
      await until(
        async () =>
          (await database.count("select count(*) from exotel_heartbeats where outcome = 'pending'")) === 0,
        90_000,
      );
      await waitOutboxDelivered(database);

      const rows = await database.query<{ sid: string; incoming_state: string; outgoing_state: string }>(
        'select sid, incoming_state, outgoing_state from exotel_exophones',
      );
      const actual: States = new Map(
        rows.flatMap((r) => [
          [key(r.sid, 'incoming'), r.incoming_state],
          [key(r.sid, 'outgoing'), r.outgoing_state],
        ]),
      );
      const mismatched = [...previous]
        .filter(([at, state]) => actual.get(at) !== state)
        .map(([at, state]) => `${at}: expected ${state}, got ${actual.get(at)}`);
      const history = await database.count('select count(*) from exotel_exophone_health_history');
      const repeatedHistory = await database.count(
        'select count(*) from (select 1 from exotel_exophone_health_history group by exophone_sid, direction, observed_at having count(*) > 1) r',
      );
      const healthEvents = await database.count(
        "select count(*) from exotel_outbox_events where type = 'exophone.health_changed'",
      );
      const heartbeats = await database.query<{ outcome: string; n: string }>(
        'select outcome, count(*) as n from exotel_heartbeats group by outcome',
      );
      const tally = await outboxAgainstKafka(database, kafka.bootstrapServers, topicPrefix);
      reportCounts('kill -9 during apply', {
        seed,
        kills,
        expectedChanges,
        historyRows: history,
        repeatedHistory,
        healthEvents,
        heartbeats: Object.fromEntries(heartbeats.map((h) => [h.outcome, Number(h.n)])),
        mismatchedStates: mismatched.length,
        outboxRows: tally.outboxRows,
        distinctOnKafka: tally.distinctOnKafka,
        duplicatesOnKafka: tally.messagesOnKafka - tally.distinctOnKafka,
        lost: tally.lost.length,
      });

      expect(mismatched.slice(0, 10)).toEqual([]);
      expect(heartbeats).toEqual([{ outcome: 'applied', n: String(HEARTBEATS) }]);
      expect({ history, repeatedHistory, healthEvents }).toEqual({
        history: expectedChanges,
        repeatedHistory: 0,
        healthEvents: expectedChanges,
      });
      expect({ lost: tally.lost.length, strangers: tally.strangers.length }).toEqual({
        lost: 0,
        strangers: 0,
      });
    } finally {
      await service?.process.kill();
      await database.drop();
    }
  }

  /** Flips a seeded number of ExoPhone directions in the simulator (the next heartbeat carries them). */
  async function flipHealth(sids: readonly string[], random: FaultRandom): Promise<void> {
    const flips = random.sample(sids, random.int(50, 400)).map((sid) => ({
      sid,
      direction: random.pick(['incoming', 'outgoing', 'both'] as const),
      status: random.pick(STATUSES),
    }));
    for (let i = 0; i < flips.length; i += 25)
      await Promise.all(flips.slice(i, i + 25).map((f) => simulator.setHealth(f.sid, f.direction, f.status)));
  }
});
