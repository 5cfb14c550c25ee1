import { ExotelSimulator } from 'exotel-simulator';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Benchmark } from './benchmarks';
import { runLoad, type LoadResult } from './support/http-load';

const CONNECTIONS = 64;
const WARMUP_MS = 2_000;
const DURATION_MS = 10_000;
const TARGET_PER_SECOND = 2_000;

/**
 * Calls/connect throughput of the simulator (latency and rate limits off, every request validated,
 * placed, scheduled and answered with the 19-field Call), next to a bare Node HTTP server answering
 * a fixed JSON body of the same size over the same keep-alive connections.
 */
export const simulatorConnectBenchmark: Benchmark = {
  name: 'simulator-connect',
  description: `Calls/connect requests per second, ${CONNECTIONS} keep-alive connections, vs a bare Node server`,
  async run() {
    const simulator = new ExotelSimulator({ rateLimits: false, latency: false });
    const simulatorUrl = await simulator.start();
    const path = `/v1/Accounts/${simulator.accountSid}/Calls/connect.json`;
    const form = new URLSearchParams([
      ['From', '+919876543210'],
      ['To', '+919812345678'],
      ['CallerId', '08047491899'],
      ['StatusCallbackEvents[]', 'terminal'],
      ['CustomField', 'bench'],
    ]).toString();
    const headers = {
      Authorization: `Basic ${Buffer.from(`${simulator.apiKey}:${simulator.apiToken}`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    };
    const sample = await fetch(`${simulatorUrl}${path}`, { method: 'POST', headers, body: form });
    const sampleBody = await sample.text();

    const baseline = await bareServer(sampleBody);
    const load = {
      method: 'POST' as const,
      headers,
      body: form,
      connections: CONNECTIONS,
      warmupMs: WARMUP_MS,
      durationMs: DURATION_MS,
    };
    const baselineResult = await runLoad({ ...load, url: `${baseline.url}${path}` });
    await new Promise<void>((resolve) => baseline.server.close(() => resolve()));
    const simulatorResult = await runLoad({ ...load, url: `${simulatorUrl}${path}` });
    const placed = simulator.calls().length;
    await simulator.stop();

    print('bare Node server (baseline)', baselineResult);
    print('simulator Calls/connect', simulatorResult);
    process.stdout.write(
      `  response body ${Buffer.byteLength(sampleBody)} bytes; calls placed ${placed}; ` +
        `simulator/baseline ${(simulatorResult.perSecond / baselineResult.perSecond).toFixed(2)}; ` +
        `target ${TARGET_PER_SECOND} req/s ${simulatorResult.perSecond >= TARGET_PER_SECOND ? 'met' : 'NOT met'}\n`,
    );
  },
};

async function bareServer(body: string): Promise<{ server: Server; url: string }> {
  const server = createServer({ keepAliveTimeout: 65_000 }, (request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(body),
      });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function print(label: string, result: LoadResult): void {
  const statuses = Object.entries(result.statuses)
    .map(([status, count]) => `${status}:${count}`)
    .join(' ');
  process.stdout.write(
    `  ${label.padEnd(28)} ${Math.round(result.perSecond).toLocaleString('en-US').padStart(8)} req/s  ` +
      `p50 ${result.p50Ms.toFixed(1)} ms  p99 ${result.p99Ms.toFixed(1)} ms  (${result.requests} requests; ${statuses})\n`,
  );
}
