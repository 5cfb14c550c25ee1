import 'reflect-metadata';
import { HeartbeatIngestion } from 'nestjs-exotel/internal';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { startTestService, TEST_WEBHOOK_SECRET } from '../test/support/test-service';
import type { Benchmark } from './benchmarks';
import { benchDatabases } from './support/bench-module';
import { setBasedApplyFloor } from './support/pg-floors';
import { timedPost } from './support/timed-post';
import { quantile } from './support/quantile';

// How many ExoPhones the heartbeat lists (BENCH_HEARTBEAT_EXOPHONES=200000 shows how apply time grows).
const AFFECTED = Number(
  process.env.BENCH_HEARTBEAT_EXOPHONES ?? process.env.BENCH_HEARTBEAT_AFFECTED ?? 50_000,
);
const TARGET_BYTES = 10 * 1024 * 1024 - 64 * 1024;
const BARE_ROUNDS = 20;
const SERVICE_ROUNDS = Number(process.env.BENCH_HEARTBEAT_ROUNDS ?? 6);

/**
 * A heartbeat of about 10 MB: `AFFECTED` ExoPhones with their outgoing side down (the direct
 * `outgoing_call` shape), padded with `connectivity` blocks on as many entries as fit; beyond what
 * 10 MB of entries hold, the affected list alone.
 */
function bigHeartbeat(timestamp: string): string {
  const sids = Array.from({ length: AFFECTED }, (_, i) => `0${8000000000 + i}`);
  const outgoing = { status: 'major_outage', last_check_time: timestamp, alternate_exophone: null };
  const data: Record<string, unknown> = {};
  for (const sid of sids) data[sid] = { phone_number: `+91${sid.slice(1)}`, outgoing_call: outgoing };
  const body = { timestamp, status_type: 'WARNING', incoming_affected: [], outgoing_affected: sids, data };
  const plain = Buffer.byteLength(JSON.stringify(body));
  // More ExoPhones than 10 MB of entries hold: the affected list alone says they are down.
  if (plain > TARGET_BYTES) return JSON.stringify({ ...body, data: {} });
  const wide = (sid: string) => ({
    phone_number: `+91${sid.slice(1)}`,
    connectivity: {
      incoming_call: { status: 'active', last_check_time: timestamp, alternate_exophone: null },
      outgoing_call: outgoing,
    },
  });
  const extra =
    Buffer.byteLength(JSON.stringify(wide(sids[0]))) - Buffer.byteLength(JSON.stringify(data[sids[0]]));
  const padded = Math.max(0, Math.min(AFFECTED, Math.floor((TARGET_BYTES - plain) / extra)));
  for (const sid of sids.slice(0, padded)) data[sid] = wide(sid);
  return JSON.stringify(body);
}

/** An all-clear heartbeat: every known ExoPhone healthy again. */
function okHeartbeat(timestamp: string): string {
  return JSON.stringify({
    timestamp,
    status_type: 'OK',
    incoming_affected: null,
    outgoing_affected: null,
    data: {},
  });
}

/** The floor: a bare Node server that reads the body, `JSON.parse`s it and answers 200. */
async function bareServer(): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end('{"received":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** The `p`th percentile of `values` (in any order). */
function percentile(values: readonly number[], p: number): number {
  return quantile(
    [...values].sort((a, b) => a - b),
    p / 100,
  );
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

interface ServiceFigures {
  readonly acks: number[];
  readonly applies: number[];
  readonly rssBefore: number;
  readonly rssPeak: number;
  readonly heapPeak: number;
}

/**
 * The reference service: each round posts the big heartbeat (or the all-clear that undoes it, so
 * every round changes every affected ExoPhone), times the acknowledgement, then times how long the
 * asynchronous apply takes to finish (measured from the acknowledgement).
 */
async function service(database: 'sqlite' | 'postgres'): Promise<ServiceFigures> {
  const running = await startTestService({
    dialect: database,
    env: { LOG_LEVEL: 'warn' },
    overrides: { exotel: { jobs: { enabled: false } } },
  });
  const url = `${running.url}/exotel/heartbeat?key=${TEST_WEBHOOK_SECRET}`;
  const ingestion = running.app.get(HeartbeatIngestion);
  const acks: number[] = [];
  const applies: number[] = [];
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  let heapPeak = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    rssPeak = Math.max(rssPeak, usage.rss);
    heapPeak = Math.max(heapPeak, usage.heapUsed);
  }, 5);
  try {
    // Stamped near our clock (the webhook refuses a skew beyond heartbeat.maxClockSkewMs), a
    // second apart, in order.
    const start = Date.now() - SERVICE_ROUNDS * 1_000;
    for (let round = 0; round < SERVICE_ROUNDS; round++) {
      const timestamp = new Date(start + round * 1_000).toISOString();
      const body = round % 2 === 0 ? bigHeartbeat(timestamp) : okHeartbeat(timestamp);
      const ack = await timedPost(url, body);
      const started = performance.now();
      await ingestion.applyPending();
      if (round % 2 === 0) acks.push(ack);
      if (round % 2 === 0) applies.push(performance.now() - started + ack);
    }
  } finally {
    clearInterval(sampler);
    await running.close();
  }
  return { acks, applies, rssBefore, rssPeak: Math.max(rssPeak, process.memoryUsage().rss), heapPeak };
}

export const heartbeatIngestBenchmark: Benchmark = {
  name: 'heartbeat-ingest',
  description: `a ~10 MB heartbeat (${AFFECTED.toLocaleString('en-US')} affected ExoPhones): acknowledgement vs a bare JSON.parse server, then apply time`,
  async run() {
    const sample = bigHeartbeat(new Date().toISOString());
    process.stdout.write(`  body ${(Buffer.byteLength(sample) / 1024 / 1024).toFixed(2)} MiB\n`);
    const bare = await bareServer();
    const floor: number[] = [];
    for (let i = 0; i < BARE_ROUNDS; i++) floor.push(await timedPost(bare.url, sample));
    await new Promise<void>((resolve) => bare.server.close(() => resolve()));
    const floorP99 = percentile(floor, 99);
    process.stdout.write(
      `  bare Node JSON.parse server (baseline)  ack p50 ${percentile(floor, 50).toFixed(0)} ms  p99 ${floorP99.toFixed(0)} ms  (${BARE_ROUNDS} posts)\n`,
    );
    const applyFloor = await setBasedApplyFloor(AFFECTED);
    const applyFloorP50 = percentile(applyFloor, 50);
    process.stdout.write(
      `  bare pg set-based apply (baseline)  ${AFFECTED.toLocaleString('en-US')} rows updated + as many outbox rows, one transaction: ` +
        `p50 ${(applyFloorP50 / 1000).toFixed(2)} s (${applyFloor.map((ms) => (ms / 1000).toFixed(2)).join(' / ')})\n`,
    );
    for (const database of benchDatabases()) {
      const figures = await service(database);
      const ackP99 = percentile(figures.acks, 99);
      process.stdout.write(
        `  service, ${database.padEnd(8)}  ack p50 ${percentile(figures.acks, 50).toFixed(0)} ms  p99 ${ackP99.toFixed(0)} ms ` +
          `(${(ackP99 / floorP99).toFixed(2)}x floor)  applied p50 ${(percentile(figures.applies, 50) / 1000).toFixed(2)} s ` +
          `max ${(Math.max(...figures.applies) / 1000).toFixed(2)} s (${(percentile(figures.applies, 50) / applyFloorP50).toFixed(1)}x the pg floor)  ` +
          `(${figures.acks.length} big heartbeats, each undone by an OK)\n` +
          `    memory: rss ${mb(figures.rssBefore)} before, peak ${mb(figures.rssPeak)}; heap peak ${mb(figures.heapPeak)}\n`,
      );
    }
    process.stdout.write(
      '  goals (issue 19): ack p99 <= 1.5x the bare server; applied p50 <= 1.5 s, max <= 2.5 s on PostgreSQL, <= 3 s on SQLite; ' +
        'peak RSS <= 350 MB above idle\n',
    );
  },
};
