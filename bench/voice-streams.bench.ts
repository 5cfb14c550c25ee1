import {
  EXOTEL_ENTITIES,
  ExotelModule,
  ExotelVoiceAgent,
  type VoiceAgent,
  type VoiceSession,
} from 'nestjs-exotel';
import { pcm16FromBytes, pcm16ToBytes } from 'nestjs-exotel/internal';
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { fork } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import type { Benchmark } from './benchmarks';
import type { VoiceLoadReport } from './support/voice-load.client';
import { quantile } from './support/quantile';

const STREAMS = 100;
const DURATION_MS = 30_000;
const SAMPLE_RATE = 8_000;
const FRAME_MS = 100;
const SECRET = 'bench-webhook-secret-0123456789';

/** Frame handling latencies (ms) collected by whichever server runs. */
let latencies: number[] = [];

/** Echoes the caller back (in valid 3,200-byte chunks, paced) and times each frame's handling. */
@ExotelVoiceAgent({ name: 'bench-echo' })
class BenchEchoAgent implements VoiceAgent {
  async handleSession(session: VoiceSession): Promise<void> {
    for await (const input of session) {
      if (input.type !== 'audio') continue;
      latencies.push(performance.now() - input.receivedAt);
      void session.send(input.samples, { more: true }).catch(() => undefined);
    }
  }
}

/**
 * 100 concurrent simulated Exotel streams at 8 kHz (a 100 ms PCM16 frame per stream every 100 ms)
 * for 30 s through the library's stream gateway with an echo agent, next to a bare `ws` server
 * doing the same per-frame work (JSON parse, base64 and PCM16 decode, echo). Reports frame
 * handling latency (frame received -> decoded frame handed to the agent) and the server's CPU.
 */
export const voiceStreamsBenchmark: Benchmark = {
  name: 'voice-streams',
  description: `${STREAMS} concurrent 8 kHz streams for ${DURATION_MS / 1000} s: frame handling p99 and CPU, vs a bare ws echo server`,
  async run() {
    const baseline = await bareWsServer();
    const baselineResult = await measure(`${baseline.url}/exotel/stream`);
    await new Promise<void>((resolve) => baseline.server.close(() => resolve()));
    baseline.wss.close();

    const app = await gatewayApp();
    const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
    const gatewayResult = await measure(`ws://127.0.0.1:${port}/exotel/stream?key=${SECRET}`);
    await app.close();

    print('bare ws echo server (baseline)', baselineResult);
    print('stream gateway + VoiceSession', gatewayResult);
    process.stdout.write(
      `  goal: p99 < 5 ms ${gatewayResult.p99 < 5 ? 'met' : 'NOT met'}, CPU < 0.5 core ${gatewayResult.cores < 0.5 ? 'met' : 'NOT met'}; ` +
        `gateway/baseline CPU ${(gatewayResult.cores / Math.max(baselineResult.cores, 1e-6)).toFixed(1)}x\n`,
    );
  },
};

interface Measured {
  readonly frames: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly cores: number;
  readonly report: VoiceLoadReport;
}

async function measure(url: string): Promise<Measured> {
  latencies = [];
  const startCpu = process.cpuUsage();
  const started = performance.now();
  const report = await new Promise<VoiceLoadReport>((resolve, reject) => {
    const child = fork(join(__dirname, 'support', 'voice-load.client.js'), [
      JSON.stringify({
        url,
        streams: STREAMS,
        durationMs: DURATION_MS,
        sampleRate: SAMPLE_RATE,
        frameMs: FRAME_MS,
      }),
    ]);
    child.once('message', (message) => resolve(message as VoiceLoadReport));
    child.once('error', reject);
  });
  const cpu = process.cpuUsage(startCpu);
  const wallMs = performance.now() - started;
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    frames: sorted.length,
    p50: quantile(sorted, 0.5, NaN),
    p99: quantile(sorted, 0.99, NaN),
    max: sorted[sorted.length - 1] ?? NaN,
    cores: (cpu.user + cpu.system) / 1000 / wallMs,
    report,
  };
}

async function bareWsServer(): Promise<{ server: Server; wss: WebSocketServer; url: string }> {
  const server = createServer();
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket) => {
    socket.on('message', (data: Buffer) => {
      const receivedAt = performance.now();
      const message = JSON.parse(data.toString('utf8')) as {
        event: string;
        stream_sid?: string;
        media?: { payload: string };
      };
      if (message.event !== 'media' || !message.media) return;
      const samples = pcm16FromBytes(Buffer.from(message.media.payload, 'base64'));
      latencies.push(performance.now() - receivedAt);
      socket.send(
        JSON.stringify({
          event: 'media',
          stream_sid: message.stream_sid,
          media: { payload: pcm16ToBytes(samples).toString('base64') },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, wss, url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function gatewayApp(): Promise<INestApplication> {
  @Module({
    imports: [
      TypeOrmModule.forRoot({
        type: 'better-sqlite3',
        database: ':memory:',
        entities: [...EXOTEL_ENTITIES],
        synchronize: true,
      }),
      ExotelModule.forRoot({
        credentials: { apiKey: 'bench', apiToken: 'bench-token', accountSid: 'bench' },
        baseUrl: 'http://127.0.0.1:9',
        webhooks: { secrets: [SECRET] },
        management: { apiKeys: [SECRET] },
        jobs: { enabled: false },
        exophones: { syncOnStart: false },
      }),
    ],
    providers: [BenchEchoAgent],
  })
  class BenchModule {}
  const app = await NestFactory.create(BenchModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  return app;
}

function print(label: string, result: Measured): void {
  const r = result.report;
  process.stdout.write(
    `  ${label.padEnd(32)} frames ${String(result.frames).padStart(6)}  handling p50 ${result.p50.toFixed(3)} ms  ` +
      `p99 ${result.p99.toFixed(3)} ms  max ${result.max.toFixed(1)} ms  CPU ${result.cores.toFixed(3)} cores  ` +
      `(streams ${r.opened}, sent ${r.framesSent}, echoed ${r.mediaReceived} chunks, bad chunks ${r.badChunks}, errors ${r.errors})\n`,
  );
}
