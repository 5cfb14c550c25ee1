/**
 * The load generator's worker thread: keeps `connections` keep-alive requests in flight against one
 * URL for a fixed time and reports the count, statuses and latency percentiles. It runs in its own
 * thread so the server under test keeps the main thread (and a core) to itself.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import type { LoadResult, LoadSpec } from './http-load';
import { quantile } from './quantile';

const spec = workerData as LoadSpec;
const agent = new Agent({ keepAlive: true, maxSockets: spec.connections });
const target = new URL(spec.url);
const body = Buffer.from(spec.body ?? '');
const headers = { ...spec.headers, 'Content-Length': String(body.length) };
const latencies = new Float64Array(2_000_000);
const statuses: Record<string, number> = {};
let completed = 0;
let measuring = false;
let stopping = false;
let inFlight = 0;
let measuredStart = 0;
let measuredEnd = 0;

function fire(): void {
  if (stopping) return;
  inFlight++;
  const started = performance.now();
  const req = request(
    {
      host: target.hostname,
      port: target.port,
      path: target.pathname + target.search,
      method: spec.method,
      agent,
      headers,
    },
    (res) => {
      res.resume();
      res.on('end', () => {
        inFlight--;
        if (measuring) {
          if (completed < latencies.length) latencies[completed] = performance.now() - started;
          completed++;
          statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
        }
        fire();
      });
    },
  );
  req.on('error', () => {
    inFlight--;
    if (measuring) statuses.error = (statuses.error ?? 0) + 1;
    fire();
  });
  req.end(body);
}

for (let i = 0; i < spec.connections; i++) fire();
setTimeout(() => {
  measuring = true;
  measuredStart = performance.now();
  setTimeout(() => {
    measuring = false;
    measuredEnd = performance.now();
    stopping = true;
    const waitDrain = setInterval(() => {
      if (inFlight > 0) return;
      clearInterval(waitDrain);
      agent.destroy();
      const kept = latencies.slice(0, Math.min(completed, latencies.length)).sort();
      const seconds = (measuredEnd - measuredStart) / 1000;
      const result: LoadResult = {
        requests: completed,
        seconds,
        perSecond: completed / seconds,
        statuses,
        p50Ms: quantile(kept, 0.5),
        p99Ms: quantile(kept, 0.99),
      };
      parentPort!.postMessage(result);
    }, 5);
  }, spec.durationMs);
}, spec.warmupMs);
