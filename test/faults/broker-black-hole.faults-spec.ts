import { startActivity } from './support/activity';
import { faultSeed, reportCounts, withSeed } from './support/fault-seed';
import { startFreezableKafka, type FreezableKafka } from './support/mock-kafka';
import { outboxAgainstKafka, waitOutboxDelivered } from './support/outbox-checks';
import { createPrivateDatabase, type PrivateDatabase } from './support/private-database';
import { ReadinessWatch } from './support/readiness-watch';
import { ServiceProcess } from './support/service-process';
import { SimulatorProcess } from './support/simulator-process';
import { StallingProxy } from './support/stalling-proxy';
import { until } from '../support/until';

/** How long the broker stays black-holed (the outage). */
const OUTAGE_MS = Number(process.env.FAULT_OUTAGE_MS ?? 60_000);
/** The bounds: readiness says degraded this soon after the broker goes, and up this soon after it is back. */
const DETECT_WITHIN_MS = 10_000;
const RECOVER_WITHIN_MS = 10_000;
/** In-process handlers' normal latency, with room for a loaded machine: no event waits longer for them. */
const IN_PROCESS_LAG_SECONDS = 5;

// The broker is frozen (SIGSTOP of librdkafka's mock cluster: connections open, nothing answered)
// and the proxy in front of its bootstrap address stops forwarding without closing, for a minute,
// while heartbeats change ExoPhone health and calls and tickets are made (issue 17, items 1-3).
describe('a black-holed Kafka broker', () => {
  let database: PrivateDatabase;
  let kafka: FreezableKafka;
  let proxy: StallingProxy;
  let simulator: SimulatorProcess;
  let service: ServiceProcess | undefined;
  let watch: ReadinessWatch | undefined;
  let activity: ReturnType<typeof startActivity> | undefined;

  afterAll(async () => {
    // A failed run leaves its pollers going: stop them, or Jest never exits.
    await watch?.stop();
    await activity?.stop();
    await service?.process.kill();
    await simulator?.stop();
    await proxy?.stop();
    await kafka?.stop();
    await database?.drop();
  });

  it('loses no event, keeps in-process handlers going and says so in readiness', async () => {
    const seed = faultSeed();
    await withSeed(__filename, seed, async (random) => {
      database = await createPrivateDatabase();
      kafka = await startFreezableKafka();
      const [host, port] = kafka.bootstrapServers.split(',')[0].split(':');
      proxy = new StallingProxy(host, Number(port));
      const brokers = await proxy.start();
      simulator = await SimulatorProcess.start({ exoPhones: 20, speed: 20, seed });
      const topicPrefix = `faults${seed}`;
      service = await ServiceProcess.start({
        exotelBaseUrl: simulator.baseUrl,
        databaseUrl: database.url,
        kafkaBrokers: brokers,
        topicPrefix,
      });
      const sids = (await simulator.exoPhones()).map((phone) => phone.sid);
      await simulator.control('PUT', '/heartbeat', { url: service.heartbeatUrl, intervalSeconds: 1 });
      const readiness = new ReadinessWatch(service);
      watch = readiness;
      const traffic = startActivity(service, simulator, sids, random);
      activity = traffic;

      // Warm-up: everything flows and readiness is up before the broker goes.
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      await until(
        async () =>
          readiness.samples.at(-1)?.outbox === 'up' &&
          readiness.samples.at(-1)?.kafkaConnection === 'connected',
        30_000,
      );

      const frozenAt = Date.now();
      proxy.stall();
      kafka.freeze();
      await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
      // Before the broker returns: every event older than the handlers' latency reached them.
      const heldBack = await database.count(
        `select count(*) from exotel_outbox_events where dispatched_at is null and created_at < now() - interval '${IN_PROCESS_LAG_SECONDS} seconds'`,
      );
      const waitingForKafka = await database.count(
        'select count(*) from exotel_outbox_events where published_at is null',
      );
      const thawedAt = Date.now();
      kafka.thaw();
      proxy.resume();
      const counts = await traffic.stop();
      await until(
        async () => readiness.firstAfter(thawedAt, (s) => s.outbox === 'up') !== undefined,
        60_000,
      ).catch(() => undefined);
      await waitOutboxDelivered(database);
      await readiness.stop();
      const tally = await outboxAgainstKafka(database, kafka.bootstrapServers, topicPrefix);

      const during = readiness.between(frozenAt, thawedAt);
      const detectedAfterMs = readiness.firstAfter(frozenAt, (s) => s.outbox !== 'up');
      const upWhileBlackHoled = readiness
        .between(frozenAt + DETECT_WITHIN_MS, thawedAt)
        .filter((s) => s.outbox === 'up');
      const recoveredAfterMs = readiness.firstAfter(thawedAt, (s) => s.outbox === 'up');
      const worstInProcessLag = Math.max(0, ...during.map((s) => s.inProcessOldestSeconds ?? 0));
      reportCounts('broker black hole', {
        seed,
        outageMs: OUTAGE_MS,
        ...counts,
        eventsWaitingForKafkaAtThaw: waitingForKafka,
        outboxRows: tally.outboxRows,
        distinctOnKafka: tally.distinctOnKafka,
        duplicatesOnKafka: tally.messagesOnKafka - tally.distinctOnKafka,
        lost: tally.lost.length,
        heldBackFromHandlers: heldBack,
        worstInProcessLagSeconds: worstInProcessLag,
        degradedAfterMs: detectedAfterMs ?? null,
        upSamplesWhileBlackHoled: upWhileBlackHoled.length,
        recoveredAfterMs: recoveredAfterMs ?? null,
        proxyConnections: proxy.connections,
      });

      // The outage was real: events waited for Kafka.
      expect(waitingForKafka).toBeGreaterThan(0);
      expect({ lost: tally.lost, strangers: tally.strangers }).toEqual({ lost: [], strangers: [] });
      expect(tally.distinctOnKafka).toBe(tally.outboxRows);
      // In-process handlers were not held back by the frozen broker.
      expect(heldBack).toBe(0);
      expect(worstInProcessLag).toBeLessThanOrEqual(IN_PROCESS_LAG_SECONDS);
      // Readiness told the truth: degraded within 10 s, for the whole outage, up within 10 s of the return.
      expect(detectedAfterMs).toBeDefined();
      expect(detectedAfterMs!).toBeLessThanOrEqual(DETECT_WITHIN_MS);
      expect(upWhileBlackHoled).toEqual([]);
      expect(recoveredAfterMs).toBeDefined();
      expect(recoveredAfterMs!).toBeLessThanOrEqual(RECOVER_WITHIN_MS);
    });
  });
});
