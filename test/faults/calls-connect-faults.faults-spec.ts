import { AGENT } from './support/activity';
import { faultSeed, reportCounts, withSeed, type FaultRandom } from './support/fault-seed';
import { createPrivateDatabase, type PrivateDatabase } from './support/private-database';
import { ResetAfterSendProxy } from './support/reset-proxy';
import { ServiceProcess } from './support/service-process';
import { SimulatorProcess } from './support/simulator-process';
import { until } from '../support/until';

const CALLS = Number(process.env.FAULT_CALLS ?? 500);
const CONCURRENCY = 8;
/** The service's Calls/connect timeout: a hung Calls/connect ends as a timeout after the call was placed. */
const REQUEST_TIMEOUT_MS = 2_000;

/** One Calls/connect fault of the simulator's plan (`{}`: answered normally). */
type PlannedFault = Record<string, unknown>;

/** The seeded plan for the Calls/connect requests in arrival order: timeouts, 500s, 502s, 429 bursts. */
function faultPlan(random: FaultRandom, length: number): PlannedFault[] {
  const plan: PlannedFault[] = [];
  while (plan.length < length) {
    const roll = random.next();
    if (roll < 0.04) plan.push({ hang: true, placeCall: true });
    else if (roll < 0.09) plan.push({ status: 500 });
    else if (roll < 0.14) plan.push({ status: 502 });
    else if (roll < 0.17)
      plan.push(...Array.from({ length: random.int(2, 5) }, () => ({ status: 429, retryAfterSeconds: 1 })));
    else plan.push({});
  }
  return plan;
}

// Calls/connect fails in every way Exotel's does (a timeout after the call was placed, a reset
// after the request was sent, 500, 502, 429 bursts) across 500 calls: no call is placed twice, and
// every call whose outcome is unknown is reconciled against what the simulator really placed.
describe('Calls/connect faults across 500 calls', () => {
  let database: PrivateDatabase;
  let simulator: SimulatorProcess;
  let proxy: ResetAfterSendProxy;
  let service: ServiceProcess | undefined;

  afterAll(async () => {
    await service?.process.kill();
    await proxy?.stop();
    await simulator?.stop();
    await database?.drop();
  });

  it('places no call twice and settles every unknown outcome', async () => {
    const seed = faultSeed();
    await withSeed(__filename, seed, async (random) => {
      database = await createPrivateDatabase();
      simulator = await SimulatorProcess.start({ exoPhones: 8, speed: 100, seed });
      proxy = new ResetAfterSendProxy(new URL(simulator.baseUrl), (method, path) =>
        method === 'POST' && path.includes('/Calls/connect') ? random.chance(0.03) : false,
      );
      service = await ServiceProcess.start({
        exotelBaseUrl: await proxy.start(),
        databaseUrl: database.url,
        env: {
          EXOTEL_CONNECT_TIMEOUT_MS: '1000',
          EXOTEL_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
          EXOTEL_VOICE_REQUESTS_PER_MINUTE: '100000',
        },
      });
      const sids = (await simulator.exoPhones()).map((phone) => phone.sid);
      expect((await simulator.emitHeartbeat(service.heartbeatUrl)).ok).toBe(true);
      const plan = faultPlan(random, CALLS);
      await simulator.control('POST', '/faults', { faults: plan });

      const answers: Record<string, number> = {};
      const unanswered: string[] = [];
      let next = 0;
      const client = async () => {
        while (next < CALLS) {
          next += 1;
          // A customer of its own per call, as in production: the reconciler searches by From and To.
          const from = `+9198${String(10_000_000 + next).slice(-8)}`;
          const answer = await service!
            .api('POST', '/calls', { from, to: AGENT, callerId: random.pick(sids) })
            .catch((error: Error) => (unanswered.push(error.message), undefined));
          if (!answer) continue;
          const label = `${answer.status} ${answer.body?.outcome ?? answer.body?.code ?? ''}`.trim();
          answers[label] = (answers[label] ?? 0) + 1;
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, client));
      const unknownAtFirst = await database.count(
        "select count(*) from exotel_calls where outcome = 'unknown'",
      );
      const placed = new Map<string, number>();
      for (const call of await simulator.calls()) {
        const correlation = (call.params.customField ?? '').split(':')[0];
        placed.set(correlation, (placed.get(correlation) ?? 0) + 1);
      }
      type Row = { id: string; correlation_id: string; outcome: string; finding: string | null };
      const readCalls = () =>
        database.query<Row>(
          'select id, correlation_id, outcome, reconciliation_finding as finding from exotel_calls',
        );
      // A placed call whose outcome is unknown is settled by its status callback or by the
      // reconciliation job (every 30 s) from Exotel's call list.
      await until(
        async () =>
          (await readCalls()).every((c) => !(c.outcome === 'unknown' && placed.has(c.correlation_id))),
        120_000,
      ).catch(() => undefined);

      const calls = await readCalls();
      const recorded = new Set(calls.map((c) => c.correlation_id));
      const placedTwice = [...placed].filter(([, n]) => n > 1).map(([id]) => id);
      const strangers = [...placed.keys()].filter((id) => !recorded.has(id));
      const placedButFailed = calls.filter((c) => c.outcome === 'failed' && placed.has(c.correlation_id));
      const initiatedNotPlaced = calls.filter(
        (c) => c.outcome === 'initiated' && !placed.has(c.correlation_id),
      );
      const placedStillUnknown = calls.filter((c) => c.outcome === 'unknown' && placed.has(c.correlation_id));
      const wrongFindings = calls.filter(
        (c) =>
          (c.finding === 'placed') !== placed.has(c.correlation_id) &&
          c.finding !== null &&
          c.finding !== 'gave_up',
      );
      // Never placed, so nothing to find yet: the API must still say unknown (reported, not guessed).
      const notPlacedUnknown = calls.filter((c) => c.outcome === 'unknown' && !placed.has(c.correlation_id));
      const reported = await Promise.all(
        notPlacedUnknown.map(
          async (c) => (await service!.api('GET', `/calls/${c.id}`)).body?.outcome as string,
        ),
      );
      const findings: Record<string, number> = {};
      for (const c of calls) if (c.finding) findings[c.finding] = (findings[c.finding] ?? 0) + 1;
      reportCounts('Calls/connect faults', {
        seed,
        calls: CALLS,
        answers,
        unanswered: unanswered.length,
        plannedFaults: plan.filter((f) => Object.keys(f).length > 0).length,
        resetsAfterSend: proxy.resets,
        recorded: calls.length,
        placedBySimulator: [...placed.values()].reduce((a, b) => a + b, 0),
        placedTwice: placedTwice.length,
        strangers: strangers.length,
        unknownAtFirst,
        findings,
        placedStillUnknown: placedStillUnknown.length,
        notPlacedReportedUnknown: reported.filter((o) => o === 'unknown').length,
        wrongFindings: wrongFindings.length,
        placedButRecordedFailed: placedButFailed.length,
        initiatedButNotPlaced: initiatedNotPlaced.length,
      });

      expect(unanswered).toEqual([]);
      expect(Object.keys(answers).filter((label) => label.startsWith('5'))).toEqual([]);
      expect(calls).toHaveLength(CALLS);
      expect(placedTwice).toEqual([]);
      expect(strangers).toEqual([]);
      expect(placedStillUnknown).toEqual([]);
      expect(wrongFindings).toEqual([]);
      expect(reported.filter((o) => o !== 'unknown')).toEqual([]);
      expect(placedButFailed).toEqual([]);
      expect(initiatedNotPlaced).toEqual([]);
    });
  });
});
