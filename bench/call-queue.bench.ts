import 'reflect-metadata';
import { CallsService, ExotelModule } from 'nestjs-exotel';
import { CallDispatcher } from 'nestjs-exotel/internal';
import { ExotelSimulator } from 'exotel-simulator';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { databaseOptions } from '../apps/exotel-service/src/database/database-options';
import { TEST_POSTGRES_URL } from '../test/support/postgres';
import type { Benchmark } from './benchmarks';
import { benchModuleOptions, everyExoPhoneHealthy } from './support/bench-module';

// The figures: 10,000 queued calls against a budget of 6,000 a minute.
const CALLS = Number(process.env.BENCH_QUEUE_CALLS ?? 10_000);
const BUDGET_PER_MINUTE = Number(process.env.BENCH_QUEUE_BUDGET ?? 6_000);
// Calls for the overhead figures (budget unlimited): the dispatcher's time per call vs connect()'s.
const OVERHEAD_CALLS = Number(process.env.BENCH_QUEUE_OVERHEAD_CALLS ?? 2_000);
const CONCURRENCY = 4;
const TO = '+919812345678';
const CALLER_ID = '+918047491899';
const MINUTE = 60_000;

const numbers = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    from: `+9197${String(i).padStart(8, '0')}`,
    to: TO,
    callerId: CALLER_ID,
  }));

/** A module on a fresh PostgreSQL schema (the budget then lives in the database, as in production). */
async function app(simulator: ExotelSimulator, schema: string, voiceRequestsPerMinute: number) {
  @Module({
    imports: [
      TypeOrmModule.forRoot(databaseOptions({ type: 'postgres', url: TEST_POSTGRES_URL }, { schema })),
      ExotelModule.forRoot(
        benchModuleOptions(simulator, {
          rateLimit: { voiceRequestsPerMinute, maxWaitMs: 120_000 },
          calls: { queue: { concurrency: CONCURRENCY } },
        }),
      ),
    ],
  })
  class QueueBenchModule {}
  const nest = await NestFactory.createApplicationContext(QueueBenchModule, { logger: false });
  await everyExoPhoneHealthy(nest);
  return nest;
}

/** Dispatches until the batch is done; resolves to the wall time it took. */
async function drain(calls: CallsService, dispatcher: CallDispatcher, batchId: string): Promise<number> {
  const started = performance.now();
  while ((await calls.batch(batchId)).counts.queued > 0) await dispatcher.dispatch();
  await calls.whenIdle();
  return performance.now() - started;
}

/** The most Calls/connect the simulator received in any `windowMs`. */
function busiestWindow(times: number[], windowMs: number): number {
  times.sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; end < times.length; end++) {
    while (times[end] - times[start] >= windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

export const callQueueBenchmark: Benchmark = {
  name: 'call-queue',
  description: `${CALLS} queued calls at a budget of ${BUDGET_PER_MINUTE}/min (PostgreSQL), and the dispatcher's time per call vs connect()`,
  async run() {
    const admin = new Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    const schemas: string[] = [];
    const schema = async () => {
      const name = `bench_${randomBytes(4).toString('hex')}`;
      await admin.query(`CREATE SCHEMA "${name}"`);
      schemas.push(name);
      return name;
    };
    try {
      // 1. Overhead: the budget out of the way, the same calls placed by connect() and by the queue.
      const free = new ExotelSimulator({ rateLimits: false, latency: false, maxRecorded: 1_000 });
      await free.start();
      const fast = await app(free, await schema(), 100_000_000);
      try {
        const calls = fast.get(CallsService);
        const direct = numbers(OVERHEAD_CALLS);
        let started = performance.now();
        for (let i = 0; i < direct.length; i += CONCURRENCY)
          await Promise.all(direct.slice(i, i + CONCURRENCY).map((c) => calls.connect(c)));
        const connectMs = (performance.now() - started) / OVERHEAD_CALLS;
        started = performance.now();
        const batch = await calls.enqueueBatch({ calls: numbers(OVERHEAD_CALLS), purpose: 'transactional' });
        const enqueueMs = (performance.now() - started) / OVERHEAD_CALLS;
        const queuedMs = (await drain(calls, fast.get(CallDispatcher), batch.id)) / OVERHEAD_CALLS;
        process.stdout.write(
          `  connect(), ${CONCURRENCY} in flight          ${connectMs.toFixed(2)} ms per call (baseline)\n` +
            `  queue: enqueueBatch                 ${enqueueMs.toFixed(3)} ms per call\n` +
            `  queue: dispatched, ${CONCURRENCY} in flight      ${queuedMs.toFixed(2)} ms per call ` +
            `(dispatcher overhead ${(queuedMs - connectMs).toFixed(2)} ms, ${(queuedMs / connectMs).toFixed(2)}x connect())\n`,
        );
      } finally {
        await fast.close();
        await free.stop();
      }

      // 2. The budget: the simulator counts per sliding minute as Exotel does, and would answer 429.
      const simulator = new ExotelSimulator({
        rateLimits: { voicePerMinute: BUDGET_PER_MINUTE, windowMs: MINUTE },
        latency: false,
        maxRecorded: CALLS + 100,
      });
      await simulator.start();
      const bound = await app(simulator, await schema(), BUDGET_PER_MINUTE);
      try {
        const calls = bound.get(CallsService);
        const batch = await calls.enqueueBatch({ calls: numbers(CALLS), purpose: 'transactional' });
        const elapsedMs = await drain(calls, bound.get(CallDispatcher), batch.id);
        const connects = simulator.requests().filter((r) => r.endpoint === 'connect');
        const refused = connects.filter((r) => r.status === 429).length;
        const busiest = busiestWindow(
          connects.filter((r) => r.status === 200).map((r) => r.at),
          MINUTE,
        );
        const view = await calls.batch(batch.id);
        process.stdout.write(
          `  ${view.counts.placed} placed of ${CALLS} in ${(elapsedMs / 1000).toFixed(1)} s; ${refused} answered 429\n` +
            `  busiest minute at the simulator: ${busiest} Calls/connect = ${((busiest / BUDGET_PER_MINUTE) * 100).toFixed(1)}% of the budget ` +
            `(goal: 98-100%)\n`,
        );
      } finally {
        await bound.close();
        await simulator.stop();
      }
    } finally {
      for (const name of schemas)
        await admin.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`).catch(() => undefined);
      await admin.end().catch(() => undefined);
    }
  },
};
