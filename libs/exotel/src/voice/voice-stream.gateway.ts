import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { ExotelClock } from '../jobs/exotel-clock';
import { logLine, stackOf } from '../logging/log-line';
import { ExotelMetrics } from '../metrics/exotel-metrics';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { streamAudioFormat } from './codecs/stream-audio-format';
import { parseStreamMessage, type StreamStartMessage } from './stream-messages';
import { refuseUpgrade, streamUpgradeVerdict } from './stream-upgrade';
import { VoiceAgents, type RegisteredVoiceAgent } from './voice-agents';
import { VoiceCallRecords } from './voice-call-records';
import { VoiceSession, type VoiceSessionEnd } from './voice-session';

/** Malformed frames logged per session before the rest are only counted. */
const MALFORMED_LOG_LIMIT = 10;

/**
 * The WebSocket endpoint Exotel's Voicebot applet (or a Connect-Voice-AI call's `StreamUrl`)
 * streams to, attached to the application's own HTTP server with `ws`. The webhook secret is
 * checked on the upgrade (`streamUpgradeVerdict`) before a WebSocket exists. Each stream waits
 * for Exotel's `start`, goes to the agent its custom parameters choose, and is recorded (start,
 * stop, who disconnected). Malformed frames are logged and skipped; the call goes on. URLs and
 * tokens are never logged.
 */
@Injectable()
export class VoiceStreamGateway implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(VoiceStreamGateway.name);
  private server?: Server;
  private wss?: WebSocketServer;
  private readonly sessions = new Map<WebSocket, { session?: VoiceSession; done: Promise<void> }>();
  private readonly active;
  private readonly frames;
  private readonly malformed;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @InjectExotelOptions('voice') private readonly voice: ResolvedExotelOptions['voice'],
    @InjectExotelOptions('webhooks') private readonly webhooks: ResolvedExotelOptions['webhooks'],
    private readonly agents: VoiceAgents,
    private readonly records: VoiceCallRecords,
    private readonly clock: ExotelClock,
    metrics: ExotelMetrics,
  ) {
    this.active = metrics.gauge({
      name: 'exotel_voice_sessions_active',
      help: 'Bot streams open on this replica',
    });
    this.frames = metrics.counter({
      name: 'exotel_voice_frames_total',
      help: 'Stream frames received from Exotel, by event',
      labelNames: ['event'],
    });
    this.malformed = metrics.counter({
      name: 'exotel_voice_malformed_frames_total',
      help: 'Stream frames skipped because they could not be used',
    });
  }

  /** The session of a call open on this replica, if any. */
  sessionFor(callSid: string): VoiceSession | undefined {
    for (const entry of this.sessions.values()) if (entry.session?.callSid === callSid) return entry.session;
    return undefined;
  }

  onApplicationBootstrap(): void {
    const settings = this.voice.stream;
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!settings.enabled || !server) return;
    this.server = server;
    this.wss = new WebSocketServer({ noServer: true, maxPayload: settings.maxMessageBytes });
    server.on('upgrade', this.onUpgrade);
    this.logger.log(`Voice stream gateway on ${settings.path}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.server?.off('upgrade', this.onUpgrade);
    for (const [socket, entry] of this.sessions) {
      if (entry.session) entry.session.close({ reason: 'shutdown', disconnectedBy: 'bot' }, 1001, 'shutdown');
      else socket.close(1001, 'shutdown');
    }
    const pending = [...this.sessions.values()].map((entry) => entry.done);
    await Promise.race([
      Promise.allSettled(pending),
      new Promise((resolve) => setTimeout(resolve, 3_000).unref()),
    ]);
    this.wss?.close();
  }

  private readonly onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const verdict = streamUpgradeVerdict(request, this.voice.stream.path, this.webhooks.secrets);
    if (verdict === 'other_route') {
      // Someone else's WebSocket route; refuse it only if nobody else listens for upgrades.
      if (this.server && this.server.listeners('upgrade').length === 1)
        refuseUpgrade(socket, 404, 'Not Found');
      return;
    }
    if (verdict === 'unauthorised') {
      this.logger.warn('Stream connection refused: missing or wrong webhook secret');
      refuseUpgrade(socket, 401, 'Unauthorized');
      return;
    }
    this.wss?.handleUpgrade(request, socket, head, (ws) => this.accept(ws));
  };

  private accept(socket: WebSocket): void {
    let session: VoiceSession | undefined;
    let startedAt: Date | undefined;
    let stopReason: string | undefined;
    let malformedLogged = 0;
    let records: Promise<void> = Promise.resolve();
    let finishSession: () => void = () => undefined;
    const entry = { session, done: new Promise<void>((resolve) => (finishSession = resolve)) };
    this.sessions.set(socket, entry);

    const startTimer = setTimeout(() => {
      this.logger.warn(`Stream closed: no start event within ${this.voice.stream.startTimeoutMs} ms`);
      socket.close(1008, 'no start');
    }, this.voice.stream.startTimeoutMs);
    startTimer.unref();

    const skip = (problem: string): void => {
      this.malformed.inc();
      if (session) session.stats.malformedFrames += 1;
      if (malformedLogged++ < MALFORMED_LOG_LIMIT)
        this.logger.warn(
          logLine('Malformed stream frame skipped', { callSid: session?.callSid ?? null, problem }),
        );
    };

    socket.on('message', (data: RawData, isBinary: boolean) => {
      const receivedAt = performance.now();
      if (isBinary) return skip('binary frame');
      const message = parseStreamMessage(rawText(data));
      this.frames.inc({ event: message.event });
      switch (message.event) {
        case 'malformed':
          return skip(message.problem);
        case 'connected':
          return;
        case 'start': {
          if (session) return skip('second start event');
          clearTimeout(startTimer);
          const agent = this.agents.select(withoutSecret(message.customParameters));
          if (!agent) {
            this.logger.error(
              logLine('No voice agent for this stream; closing it', { callSid: message.callSid }),
            );
            socket.close(1011, 'no agent');
            return;
          }
          session = this.openSession(socket, message, agent);
          entry.session = session;
          startedAt = this.clock.now();
          const start = session.metadata;
          records = records.then(() =>
            this.records
              .recordStreamStarted({
                callSid: start.callSid,
                streamSid: start.streamSid,
                from: start.from,
                to: start.to,
                format: start.format,
                agent: start.agent,
                customParameters: start.customParameters,
                startedAt: startedAt ?? this.clock.now(),
              })
              .catch((error: unknown) =>
                this.logFailure('Recording the stream start failed', start.callSid, error, stackOf(error)),
              ),
          );
          void this.run(session, agent);
          return;
        }
        default:
          if (!session) return skip(`${message.event} before start`);
      }
      switch (message.event) {
        case 'media':
          return session.receiveAudio(message.payload, message.chunk, message.timestamp, receivedAt);
        case 'dtmf':
          return session.receiveDtmf(message.digit, message.durationMs, receivedAt);
        case 'mark':
          return session.receiveMark(message.name);
        case 'stop':
          stopReason = message.reason;
          return;
      }
    });

    socket.on('error', (error) => this.logFailure('Stream socket error', session?.callSid ?? null, error));

    socket.on('close', () => {
      clearTimeout(startTimer);
      this.sessions.delete(socket);
      if (!session || !startedAt) return finishSession();
      this.active.dec();
      const end = session.finish(endFrom(stopReason));
      const stoppedAt = this.clock.now();
      const { callSid, streamSid } = session.metadata;
      const stats = { ...session.stats };
      const began = startedAt;
      records = records.then(() =>
        this.records
          .recordStreamStopped({ callSid, streamSid, ...end, startedAt: began, stoppedAt, ...stats })
          .catch((error: unknown) =>
            this.logFailure('Recording the stream stop failed', callSid, error, stackOf(error)),
          ),
      );
      void records.then(finishSession);
      this.logger.log(
        logLine('Voice stream ended', { callSid, reason: end.reason, disconnectedBy: end.disconnectedBy }),
      );
    });
  }

  private openSession(
    socket: WebSocket,
    start: StreamStartMessage,
    agent: RegisteredVoiceAgent,
  ): VoiceSession {
    const settings = this.voice.stream;
    const format = streamAudioFormat(start.mediaFormat, {
      encoding: settings.encoding === 'auto' ? undefined : settings.encoding,
      sampleRate: settings.sampleRate === 'auto' ? undefined : settings.sampleRate,
    });
    this.active.inc();
    this.logger.log(
      logLine('Voice stream started', { callSid: start.callSid, agent: agent.name, ...format }),
    );
    return new VoiceSession({
      socket,
      metadata: {
        callSid: start.callSid,
        streamSid: start.streamSid,
        accountSid: start.accountSid,
        from: start.from,
        to: start.to,
        customParameters: withoutSecret(start.customParameters),
        format,
        sampleRate: agent.options.sampleRate ?? format.sampleRate,
        agent: agent.name,
      },
      sendFrameMs: settings.sendFrameMs,
      logger: this.logger,
      requestTransfer: (request) => this.records.requestTransfer(request),
      now: () => this.clock.now(),
    });
  }

  private async run(session: VoiceSession, agent: RegisteredVoiceAgent): Promise<void> {
    try {
      await agent.agent.handleSession(session);
      await session.closeAfterPlayback({ reason: 'handler_finished', disconnectedBy: 'bot' });
    } catch (error) {
      this.logFailure(`Voice agent ${agent.name} failed; hanging up`, session.callSid, error, stackOf(error));
      session.close({ reason: 'agent_error', disconnectedBy: 'bot' }, 1011, 'agent error');
    }
  }

  // A stack only where it helps: an agent's bug or a database failure, not a dropped socket.
  private logFailure(message: string, callSid: string | null, error: unknown, stack?: string): void {
    this.logger.error(logLine(message, { callSid, err: error }), stack);
  }
}

/** How a stream ended when we did not end it: from Exotel's stop reason, if any. */
function endFrom(stopReason: string | undefined): VoiceSessionEnd {
  if (stopReason === 'callended') return { reason: 'callended', disconnectedBy: 'user' };
  if (stopReason !== undefined) return { reason: stopReason, disconnectedBy: 'exotel' };
  return { reason: 'socket_closed', disconnectedBy: 'NA' };
}

function withoutSecret(parameters: Readonly<Record<string, string>>): Record<string, string> {
  const { key: _secret, ...rest } = parameters;
  return rest;
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
