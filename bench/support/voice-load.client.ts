/**
 * The Exotel side of many streams at once, run in a child process so its CPU is not counted
 * against the server under test: `connected`, `start`, then a 100 ms PCM16 media frame per stream
 * every 100 ms (absolute schedule), then `stop`. Reports what it sent and received.
 */
import { WebSocket } from 'ws';

interface Spec {
  readonly url: string;
  readonly streams: number;
  readonly durationMs: number;
  readonly sampleRate: number;
  readonly frameMs: number;
}

export interface VoiceLoadReport {
  readonly opened: number;
  readonly framesSent: number;
  readonly mediaReceived: number;
  readonly bytesReceived: number;
  readonly badChunks: number;
  readonly errors: number;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2]) as Spec;
  const samples = Math.round((spec.sampleRate * spec.frameMs) / 1000);
  const pcm = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++)
    pcm.writeInt16LE(Math.round(5000 * Math.sin((2 * Math.PI * 440 * i) / spec.sampleRate)), i * 2);
  const payload = pcm.toString('base64');
  const report = { opened: 0, framesSent: 0, mediaReceived: 0, bytesReceived: 0, badChunks: 0, errors: 0 };
  const runs: Promise<void>[] = [];
  for (let s = 0; s < spec.streams; s++) {
    runs.push(
      new Promise<void>((resolve) => {
        const socket = new WebSocket(spec.url);
        const sid = `bench-${process.pid}-${s}`;
        socket.on('error', () => {
          report.errors += 1;
          resolve();
        });
        socket.on('close', () => resolve());
        socket.on('message', (data: Buffer) => {
          const message = JSON.parse(data.toString('utf8')) as { event: string; media?: { payload: string } };
          if (message.event !== 'media' || !message.media) return;
          const bytes = Buffer.byteLength(message.media.payload, 'base64');
          report.mediaReceived += 1;
          report.bytesReceived += bytes;
          if (bytes % 320 !== 0 || bytes < 3_200 || bytes > 100_000) report.badChunks += 1;
        });
        socket.on('open', () => {
          report.opened += 1;
          socket.send(JSON.stringify({ event: 'connected' }));
          socket.send(
            JSON.stringify({
              event: 'start',
              stream_sid: sid,
              start: {
                stream_sid: sid,
                call_sid: `call-${sid}`,
                from: '+919876543210',
                to: '+918047491899',
                custom_parameters: {},
                media_format: {
                  encoding: 'audio/x-raw',
                  sample_rate: String(spec.sampleRate),
                  bit_rate: '16',
                },
              },
            }),
          );
          // Spread the streams over one frame period, as real calls are not in phase.
          const started = performance.now() + (s * spec.frameMs) / spec.streams;
          let index = 0;
          const tick = (): void => {
            if (socket.readyState !== WebSocket.OPEN) return;
            if (performance.now() - started >= spec.durationMs) {
              socket.send(JSON.stringify({ event: 'stop', stream_sid: sid, stop: { reason: 'callended' } }));
              socket.close();
              return;
            }
            socket.send(
              JSON.stringify({
                event: 'media',
                stream_sid: sid,
                sequence_number: String(index + 3),
                media: { chunk: String(index + 1), timestamp: String(index * spec.frameMs), payload },
              }),
            );
            report.framesSent += 1;
            index += 1;
            setTimeout(tick, Math.max(0, started + index * spec.frameMs - performance.now()));
          };
          setTimeout(tick, Math.max(0, started - performance.now()));
        });
      }),
    );
  }
  await Promise.all(runs);
  process.send?.(report);
}

void main();
