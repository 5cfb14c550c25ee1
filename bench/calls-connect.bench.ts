import 'reflect-metadata';
import { CallsService, ExotelModule } from 'nestjs-exotel';
import { ExotelSimulator } from 'exotel-simulator';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import type { DatabaseSettings } from '../apps/exotel-service/src/config/service-config';
import { databaseOptions } from '../apps/exotel-service/src/database/database-options';
import { TEST_POSTGRES_URL } from '../test/support/postgres';
import type { Benchmark } from './benchmarks';
import { benchModuleOptions, everyExoPhoneHealthy } from './support/bench-module';
import { twoCommitsFloor } from './support/pg-floors';
import { quantile } from './support/quantile';

// Calls in flight: 1 shows the service's own time per call without queueing; 50 is the issue's load.
const CONCURRENCIES = (process.env.BENCH_CALLS_CONCURRENCY ?? '1,50').split(',').map(Number);
const WARMUP_MS = Number(process.env.BENCH_CALLS_WARMUP_MS ?? 1_000);
const DURATION_MS = Number(process.env.BENCH_CALLS_DURATION_MS ?? 5_000);
// Which databases to measure the service on (to profile one alone, for instance).
const DATABASES = (process.env.BENCH_CALLS_DATABASES ?? 'sqlite,postgres').split(',');
const FROM = '+919876543210';
const TO = '+919812345678';
const CALLER_ID = '+918047491899';

interface Measured {
  readonly calls: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
}

/** Keeps `concurrency` calls of `once` in flight; measures after a warm-up. */
async function measure(concurrency: number, once: () => Promise<void>): Promise<Measured> {
  const latencies: number[] = [];
  let errors = 0;
  let measuring = false;
  let stop = false;
  const worker = async () => {
    while (!stop) {
      const started = performance.now();
      try {
        await once();
        if (measuring) latencies.push(performance.now() - started);
      } catch {
        if (measuring) errors++;
      }
    }
  };
  const workers = Array.from({ length: concurrency }, worker);
  await sleep(WARMUP_MS);
  measuring = true;
  const started = performance.now();
  await sleep(DURATION_MS);
  measuring = false;
  const seconds = (performance.now() - started) / 1000;
  stop = true;
  await Promise.all(workers);
  latencies.sort((a, b) => a - b);
  return {
    calls: latencies.length,
    perSecond: latencies.length / seconds,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    errors,
  };
}

/** The same Calls/connect request CallsService sends, as a raw keep-alive HTTP POST. */
function rawPost(simulator: ExotelSimulator): () => Promise<void> {
  const url = new URL(`${simulator.baseUrl}/v1/Accounts/${simulator.accountSid}/Calls/connect.json`);
  const agent = new Agent({ keepAlive: true, maxSockets: Math.max(...CONCURRENCIES) });
  const headers = {
    Authorization: `Basic ${Buffer.from(`${simulator.apiKey}:${simulator.apiToken}`).toString('base64')}`,
    'Content-Type': 'application/x-www-form-urlencoded',
  };
  return () =>
    new Promise<void>((resolve, reject) => {
      const body = new URLSearchParams([
        ['From', FROM],
        ['To', TO],
        ['CallerId', CALLER_ID],
        ['CallType', 'trans'],
        ['CustomField', randomBytes(8).toString('hex').toUpperCase()],
      ]).toString();
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          agent,
          headers: { ...headers, 'Content-Length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode}`));
            // Read the CallSid, as any client would.
            const sid = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Call: { Sid: string } }).Call
              .Sid;
            return sid ? resolve() : reject(new Error('no CallSid'));
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}

/** `CallsService.connect()` on a database: record, failover, send, record the outcome. */
async function service(
  simulator: ExotelSimulator,
  database: DatabaseSettings,
  schema?: string,
): Promise<(Measured & { outcomes: Record<string, number> })[]> {
  @Module({
    imports: [
      TypeOrmModule.forRoot(databaseOptions(database, { schema })),
      ExotelModule.forRoot(
        benchModuleOptions(simulator, {
          // The simulator's limits are off; so is the client's budget, to measure the service itself.
          rateLimit: { voiceRequestsPerMinute: 100_000_000 },
        }),
      ),
    ],
  })
  class BenchModule {}
  const app = await NestFactory.createApplicationContext(BenchModule, { logger: false });
  try {
    await everyExoPhoneHealthy(app);
    const calls = app.get(CallsService);
    const results: (Measured & { outcomes: Record<string, number> })[] = [];
    for (const concurrency of CONCURRENCIES) {
      const outcomes: Record<string, number> = {};
      const result = await measure(concurrency, async () => {
        const call = await calls.connect({ from: FROM, to: TO, callerId: CALLER_ID });
        outcomes[call.outcome] = (outcomes[call.outcome] ?? 0) + 1;
      });
      results.push({ ...result, outcomes });
    }
    return results;
  } finally {
    await app.close();
  }
}

const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 10_000);

/**
 * An idle replica on PostgreSQL: the module with its jobs and relay running, nothing to do. CPU of
 * this process (the idle simulator included) and the transactions committed in the database, per
 * second, after a short settling time.
 */
async function idleReplica(simulator: ExotelSimulator, schema: string, admin: Client): Promise<string> {
  @Module({
    imports: [
      TypeOrmModule.forRoot(databaseOptions({ type: 'postgres', url: TEST_POSTGRES_URL }, { schema })),
      ExotelModule.forRoot(benchModuleOptions(simulator, { jobs: { enabled: true } })),
    ],
  })
  class IdleModule {}
  const app = await NestFactory.createApplicationContext(IdleModule, { logger: false });
  const transactions = async () =>
    Number(
      (
        await admin.query<{ n: string }>(
          'SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()',
        )
      ).rows[0].n,
    );
  try {
    await sleep(3_000);
    const cpuBefore = process.cpuUsage();
    const transactionsBefore = await transactions();
    const started = performance.now();
    await sleep(IDLE_MS);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    // Less the two look-ups of the count itself.
    const perSecond = Math.max(0, (await transactions()) - transactionsBefore - 2) / seconds;
    const cpuPercent = ((cpu.user + cpu.system) / 1e6 / seconds) * 100;
    return `${cpuPercent.toFixed(2)} % of a core, ${perSecond.toFixed(1)} transactions/s in the database (over ${seconds.toFixed(0)} s)`;
  } finally {
    await app.close();
  }
}

export const callsConnectBenchmark: Benchmark = {
  name: 'calls-connect',
  description: `CallsService.connect() vs a raw HTTP POST of the same request, ${CONCURRENCIES.join(' and ')} calls in flight, simulator latency and rate limits off`,
  async run() {
    const simulator = new ExotelSimulator({ rateLimits: false, latency: false, maxRecorded: 1_000 });
    await simulator.start();
    const schema = `bench_${randomBytes(4).toString('hex')}`;
    const admin = new Client({ connectionString: TEST_POSTGRES_URL });
    // Only a connected client can drop the schema (a query on one never connected waits forever).
    let postgresUsed = false;
    try {
      const post = rawPost(simulator);
      let floor: number | undefined;
      if (DATABASES.includes('postgres')) floor = await twoCommitsFloor();
      const raw: Measured[] = [];
      for (const concurrency of CONCURRENCIES) raw.push(await measure(concurrency, post));
      const sqlite = DATABASES.includes('sqlite')
        ? await service(simulator, { type: 'sqlite', path: ':memory:' })
        : undefined;
      let postgres: Awaited<ReturnType<typeof service>> | undefined;
      if (DATABASES.includes('postgres')) {
        await admin.connect();
        postgresUsed = true;
        await admin.query(`CREATE SCHEMA "${schema}"`);
        postgres = await service(simulator, { type: 'postgres', url: TEST_POSTGRES_URL }, schema);
      }
      CONCURRENCIES.forEach((concurrency, c) => {
        process.stdout.write(`  -- ${concurrency} call(s) in flight\n`);
        const rows: [string, Measured & { outcomes?: Record<string, number> }][] = [
          ['raw HTTP POST (baseline)', raw[c]],
        ];
        if (sqlite) rows.push(['CallsService, SQLite', sqlite[c]]);
        if (postgres) rows.push(['CallsService, PostgreSQL', postgres[c]]);
        for (const [name, m] of rows) {
          const outcomes = m.outcomes
            ? ` ${Object.entries(m.outcomes)
                .map(([k, v]) => `${k}:${v}`)
                .join(' ')}`
            : '';
          process.stdout.write(
            `  ${name.padEnd(28)} ${m.perSecond.toFixed(0).padStart(7)} calls/s  p50 ${m.p50Ms.toFixed(2)} ms  ` +
              `p99 ${m.p99Ms.toFixed(2)} ms  (${m.calls} calls, ${m.errors} errors;${outcomes})\n`,
          );
        }
        for (const [name, m] of rows.slice(1)) {
          // The service's own time per call, whatever the concurrency: 1/throughput over the baseline's.
          const ownMs = (1 / m.perSecond - 1 / raw[c].perSecond) * 1000;
          process.stdout.write(
            `  ${name}: ${(raw[c].perSecond / m.perSecond).toFixed(2)}x the baseline's time per call; ` +
              `median latency overhead ${(m.p50Ms - raw[c].p50Ms).toFixed(2)} ms; service time ${ownMs.toFixed(2)} ms per call\n`,
          );
        }
      });
      if (floor !== undefined)
        process.stdout.write(
          `  bare pg floor (baseline): two durable commits in a row, p50 ${floor.toFixed(2)} ms (a lone call records its intent and its outcome)\n`,
        );
      if (postgresUsed) {
        const idleSchema = `${schema}_idle`;
        await admin.query(`CREATE SCHEMA "${idleSchema}"`);
        try {
          process.stdout.write(
            `  idle replica, PostgreSQL: ${await idleReplica(simulator, idleSchema, admin)}\n`,
          );
        } finally {
          await admin.query(`DROP SCHEMA IF EXISTS "${idleSchema}" CASCADE`).catch(() => undefined);
        }
      }
      process.stdout.write(
        '  goals (issue 19): lone call median <= 3 ms over the raw POST on both databases; 50 in flight <= 1 ms\n' +
          '  service time per call; an idle replica well under 1 % of a core and a few transactions a second\n',
      );
    } finally {
      if (postgresUsed) {
        await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
        await admin.end().catch(() => undefined);
      }
      await simulator.stop();
    }
  },
};

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
