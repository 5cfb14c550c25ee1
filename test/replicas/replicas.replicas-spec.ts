import { AGENT } from '../faults/support/activity';
import { reportCounts } from '../faults/support/fault-seed';
import { outboxAgainstKafka, waitOutboxDelivered } from '../faults/support/outbox-checks';
import type { ServiceProcess } from '../faults/support/service-process';
import { until } from '../support/until';
import { busiestWindow, connectsOf, startFleet, type Fleet } from './support/fleet';

const LIMIT_PER_MINUTE = 60;
const CALLS = 200;
const MINUTE = 60_000;

const numberOf = (i: number) => `+9199${String(10_000_000 + i).slice(-8)}`;

// Three replicas of the service share one Exotel account (one budget), one PostgreSQL database and
// one Kafka cluster, against a standalone simulator that counts Exotel's limit per sliding minute
// and answers 429 beyond it (issue 18, the N-process suite).
describe('three replicas, one Exotel account', () => {
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = await startFleet({ replicas: 3, voicePerMinute: LIMIT_PER_MINUTE });
    for (const replica of fleet.replicas) expect(replica.errorLines()).toEqual([]);
  });

  afterAll(async () => {
    await fleet?.stop();
  });

  it('places 200 queued calls once each within 60 a minute, through a kill -9 of a replica', async () => {
    const { database, simulator, replicas } = fleet;
    const callerIds = (await simulator.exoPhones()).map((phone) => phone.sid);
    // Four batches of 50, each sent to another replica.
    for (let b = 0; b < 4; b++) {
      const calls = Array.from({ length: 50 }, (_, i) => ({
        from: numberOf(b * 50 + i),
        to: AGENT,
        callerId: callerIds[i % callerIds.length],
      }));
      const answer = await replicas[b % 3].api('POST', '/calls/batches', { calls, purpose: 'transactional' });
      expect([answer.status, answer.body.code]).toEqual([201, undefined]);
    }
    // Once a good part is placed, kill the replica holding most job leases (and its claims).
    await until(async () => (await connectsOf(simulator)).length >= 70, 180_000);
    const leases = await database.query<{ name: string; owner: string }>(
      'select name, owner from exotel_job_leases where expires_at > now()',
    );
    const holds = (r: ServiceProcess) => leases.filter((l) => l.owner.includes(`:${r.process.pid}:`));
    const victim = [...replicas].sort((a, b) => holds(b).length - holds(a).length)[0];
    const victimLeases = holds(victim).map((l) => l.name);
    await victim.process.kill();
    const survivors = replicas.filter((r) => r !== victim);

    await until(
      async () =>
        (await database.count("select count(*) from exotel_queued_calls where state = 'queued'")) === 0,
      420_000,
    ).catch(async (error: Error) => {
      // What is left, and why: the states, the waiting reasons, the survivors' warnings.
      const left = await database.query(
        'select state, reason, count(*) as n, min(not_before) as due, max(claimed_until) as claimed from exotel_queued_calls group by 1, 2',
      );
      const warnings = survivors.flatMap((r) => r.process.lines.filter((l) => l.includes('warn')).slice(-5));
      throw new Error(`${error.message}: ${JSON.stringify(left)}\n${warnings.join('\n')}`);
    });
    const connects = await connectsOf(simulator);
    const accepted = connects.filter((r) => r.status === 200);
    const placedCalls = await database.count(
      "select count(*) from exotel_queued_calls where state = 'placed'",
    );
    // kill -9 can land between a call's record and its Calls/connect reaching Exotel (or between
    // Exotel's answer and its record): such a call keeps no CallSid, and the never-twice path leaves
    // it to reconciliation instead of dialling it again. They are the victim's calls in flight.
    const limbo = await database.query<{ from: string }>(
      `select c.from_number as "from" from exotel_queued_calls q join exotel_calls c on c.id = q.call_id
        where q.state = 'placed' and c.call_sid is null`,
    );
    const acceptedFrom = new Set(accepted.map((r) => String(r.form?.From)));
    const accountedFor = new Set([...acceptedFrom, ...limbo.map((c) => c.from)]);
    const counts = {
      connects: connects.length,
      accepted: accepted.length,
      refused429: connects.filter((r) => r.status === 429).length,
      distinctFrom: new Set(accepted.map((r) => r.form?.From)).size,
      busiestMinute: busiestWindow(
        accepted.map((r) => r.at),
        MINUTE,
      ),
      placedCalls,
      inLimbo: limbo.length,
      accountedFor: accountedFor.size,
      victimLeases,
    };
    reportCounts('replicas: budget', counts);
    expect(counts.refused429).toBe(0);
    expect(counts.busiestMinute).toBeLessThanOrEqual(LIMIT_PER_MINUTE);
    expect(placedCalls).toBe(CALLS);
    // Never dialled twice; every call dialled or left to reconciliation; only the victim's in flight
    // (calls.queue.concurrency, 4) in limbo.
    expect(counts.distinctFrom).toBe(counts.accepted);
    expect(counts.accountedFor).toBe(CALLS);
    expect(counts.accepted).toBeGreaterThanOrEqual(CALLS - 4);
    expect(counts.inLimbo).toBeLessThanOrEqual(4);
    for (const replica of survivors) expect(replica.errorLines()).toEqual([]);

    // The victim's leases of the frequent jobs pass to the survivors once they lapse (a lease lasts
    // a few of its job's intervals, so those of hourly jobs simply run out later).
    const frequent = await database.query<{ name: string }>(
      "select name from exotel_job_leases where name = any($1) and expires_at < now() + interval '2 minutes'",
      [victimLeases],
    );
    await until(async () => {
      const owners = await database.query<{ owner: string }>(
        'select owner from exotel_job_leases where name = any($1) and expires_at > now()',
        [frequent.map((l) => l.name)],
      );
      return owners.every((o) => !o.owner.includes(`:${victim.process.pid}:`));
    }, 180_000);
  });

  it('applies a heartbeat posted to two replicas once, and publishes a breach once', async () => {
    const { database, simulator } = fleet;
    const [a, b] = fleet.replicas.filter((r) => r.process.running);
    const [phone] = await simulator.exoPhones();
    await simulator.setHealth(phone.sid, 'outgoing', 'major_outage');
    const delivery = await simulator.emitHeartbeat(a.heartbeatUrl);
    expect(delivery.ok).toBe(true);
    // Exotel retries the same heartbeat: here, at the other replica.
    const [sent] = (
      await simulator.control<{ body: string; timestamp: string }[]>('GET', '/heartbeats')
    ).filter((d) => d.timestamp === delivery.timestamp);
    const again = await fetch(b.heartbeatUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: sent.body,
    });
    expect(again.status).toBe(200);
    const changed = () =>
      database.count(
        "select count(*) from exotel_outbox_events where type = 'exophone.health_changed' and subject = $1 and data::text like '%major_outage%'",
        [phone.sid],
      );
    await until(async () => (await changed()) >= 1, 60_000);

    // A severity-1 ticket opened two hours ago has breached its acknowledgement already.
    const openedAt = new Date(Date.now() - 2 * 3_600_000).toISOString();
    const ticket = await a.api('POST', '/tickets', { severity: 1, title: 'All calls failing', openedAt });
    expect(ticket.status).toBe(201);
    const breaches = () =>
      database.count(
        "select count(*) from exotel_outbox_events where type = 'sla.breached' and subject = $1",
        [ticket.body.id],
      );
    await until(async () => (await breaches()) >= 1, 120_000);
    // Several more ticks of the SLA watch on every replica: still one breach per metric.
    await new Promise((resolve) => setTimeout(resolve, 65_000));
    const perMetric = await database.query<{ metric: string; n: string }>(
      "select data->>'metric' as metric, count(*) as n from exotel_outbox_events where type = 'sla.breached' and subject = $1 group by 1",
      [ticket.body.id],
    );
    const counts = {
      heartbeatRows: await database.count('select count(*) from exotel_heartbeats where timestamp = $1', [
        new Date(delivery.timestamp),
      ]),
      healthChanged: await changed(),
      breaches: Object.fromEntries(perMetric.map((m) => [m.metric, Number(m.n)])),
    };
    reportCounts('replicas: once across replicas', counts);
    expect(counts.heartbeatRows).toBe(1);
    expect(counts.healthChanged).toBe(1);
    expect(perMetric.length).toBeGreaterThan(0);
    expect(perMetric.every((m) => Number(m.n) === 1)).toBe(true);
  });

  it('delivers every outbox row to Kafka, redeliveries counted under the same id', async () => {
    const { database, kafka, topicPrefix } = fleet;
    await waitOutboxDelivered(database, 120_000);
    const tally = await outboxAgainstKafka(database, kafka.bootstrapServers, topicPrefix);
    reportCounts('replicas: outbox to Kafka', {
      ...tally,
      lost: tally.lost.length,
      strangers: tally.strangers.length,
    });
    expect(tally.lost).toEqual([]);
    expect(tally.strangers).toEqual([]);
    expect(tally.distinctOnKafka).toBe(tally.outboxRows);
    expect(tally.messagesOnKafka).toBeGreaterThanOrEqual(tally.outboxRows);
  });

  it('stops a replica under load on SIGTERM: every request answered, exit within 10 s', async () => {
    const replica = fleet.replicas.filter((r) => r.process.running)[0];
    const [callerId] = (await fleet.simulator.exoPhones()).map((phone) => phone.sid);
    // Exotel answers slowly, so the calls are in flight when the signal comes.
    await fleet.simulator.control('POST', '/faults', { fault: { delayMs: 3_000 }, count: 30 });
    const errors: string[] = [];
    const answers = Array.from({ length: 30 }, (_, i) =>
      replica.api('POST', '/calls', { from: numberOf(1_000 + i), to: AGENT, callerId }).then(
        (answer) => answer.status,
        (error: Error & { cause?: { code?: string } }) => {
          errors.push(error.cause?.code ?? error.message);
          return 0;
        },
      ),
    );
    // Every request has reached the service (its Calls/connect is waiting on the simulator).
    await until(
      async () => (await connectsOf(fleet.simulator)).filter((r) => r.status === undefined).length >= 30,
      30_000,
    );
    const signalled = Date.now();
    replica.process.signal('SIGTERM');
    const statuses = await Promise.all(answers);
    const exit = await replica.process.exited;
    const counts = {
      answered: statuses.filter((s) => s > 0).length,
      resets: statuses.filter((s) => s === 0).length,
      statuses: [...new Set(statuses)],
      errors: [...new Set(errors)],
      exitMs: exit.at - signalled,
      exitCode: exit.code,
    };
    reportCounts('replicas: SIGTERM under load', counts);
    expect(counts.resets).toBe(0);
    expect(counts.exitMs).toBeLessThan(10_000);
    expect(exit.code).toBe(0);
  });
});
