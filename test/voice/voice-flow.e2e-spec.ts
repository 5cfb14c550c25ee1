import { VoiceCallRecords, type VoiceInput } from 'nestjs-exotel';
import {
  CallRecords,
  decodePayload,
  DatabaseVoiceCallRecords,
  OutboxEventEntity,
  ExotelDatabase,
  pcm16ToBytes,
} from 'nestjs-exotel/internal';
import {
  callerAudioOf,
  ExotelSimulator,
  exotelChunkViolation,
  type FlowDefinition,
  type SimStreamSession,
} from 'exotel-simulator';
import { startTestService, TEST_WEBHOOK_SECRET, type TestService } from '../support/test-service';
import { until } from '../support/until';
import { ScriptedAgent, sleep, tone } from './voice-test-agent';

const AGENT_NUMBER = '+919812345678';
const CALLER = '+919876543210';
const EXOPHONE = '08047491899';

/** Pace of the bot's audio as Exotel received it: audio time over arrival time, after the first chunk. */
function paceOf(session: SimStreamSession): number {
  const bytesPerMs = (session.sampleRate * (session.encoding === 'pcm16' ? 2 : 1)) / 1000;
  const chunks = session.botChunks;
  let audioMs = 0;
  for (let i = 1; i < chunks.length - 1; i++) audioMs += chunks[i].bytes / bytesPerMs;
  return audioMs / (chunks[chunks.length - 1].at - chunks[1].at);
}

function concatSamples(inputs: VoiceInput[]): Int16Array {
  const audio = inputs.filter((i) => i.type === 'audio');
  const out = new Int16Array(audio.reduce((n, a) => n + a.samples.length, 0));
  let offset = 0;
  for (const a of audio) {
    out.set(a.samples, offset);
    offset += a.samples.length;
  }
  return out;
}

describe('voice-AI call through the simulator (e2e)', () => {
  let service: TestService;
  let simulator: ExotelSimulator;
  const agent = new ScriptedAgent();
  const hook = (path: string, query = '') => `${service.url}${path}?key=${TEST_WEBHOOK_SECRET}${query}`;
  const wsUrl = (query = '') =>
    `${service.url.replace('http', 'ws')}/exotel/stream?key=${TEST_WEBHOOK_SECRET}${query}`;

  beforeAll(async () => {
    simulator = new ExotelSimulator({ speed: 20 });
    service = await startTestService({ simulator, providers: [{ provide: ScriptedAgent, useValue: agent }] });
  });

  afterAll(async () => {
    await service.close();
  });

  function flow(
    streamQuery: string,
    encoding: 'pcm16' | 'mulaw',
    dtmf: { digit: string; afterMs: number }[],
  ): FlowDefinition {
    return {
      statusCallback: hook('/exotel/callback/status'),
      applets: [
        { type: 'passthru', url: hook('/exotel/answer') },
        { type: 'voicebot', url: wsUrl(streamQuery), record: true, script: { encoding, dtmf } },
        { type: 'passthru', url: hook('/exotel/answer') },
        { type: 'connect', url: hook('/exotel/dial-up') },
        { type: 'hangup' },
      ],
    };
  }

  it('runs passthru -> stream -> transfer -> bridge, with exact caller audio, paced valid chunks, marks and DTMF', async () => {
    const heard: VoiceInput[] = [];
    const digits: string[] = [];
    let markEchoed: boolean | undefined;
    let transferred = false;
    agent.behaviour = async (session) => {
      for await (const input of session) {
        heard.push(input);
        if (input.type !== 'dtmf') continue;
        digits.push(input.digit);
        if (input.digit !== '0') continue;
        // Speak for 4 s, wait until it has played, then hand the caller to a human.
        void (async () => {
          await session.send(tone(session.metadata.sampleRate, 4));
          markEchoed = await session.mark('reply-end');
          await session.transfer(AGENT_NUMBER);
          transferred = true;
        })();
      }
    };
    simulator.scriptNumber(AGENT_NUMBER, { outcome: 'answer', ringSeconds: 2, talkSeconds: 20 });
    simulator.defineFlow(
      '5001',
      flow('&team=support', 'pcm16', [
        { digit: '5', afterMs: 1_000 },
        { digit: '0', afterMs: 3_200 },
      ]),
    );

    const started = simulator.startInboundCall({ from: CALLER, to: EXOPHONE, appId: '5001' });
    const call = await simulator.waitForFlowCall(started.sid, undefined, 30_000);

    expect(call.endReason).toBe('completed');
    expect(call.applets.map((a) => `${a.type}:${a.outcome}`)).toEqual([
      'passthru:ok',
      'voicebot:bot',
      'passthru:ok',
      'connect:connected',
      'hangup:hung-up',
    ]);
    expect(transferred).toBe(true);

    // Metadata from start, custom parameters included (the secret is not one of them).
    const session = agent.sessions[agent.sessions.length - 1];
    expect(session.metadata).toMatchObject({
      callSid: call.sid,
      from: CALLER,
      format: { encoding: 'pcm16', sampleRate: 8000 },
      customParameters: { team: 'support' },
    });
    expect(session.metadata.customParameters).not.toHaveProperty('key');

    // Caller audio bit-exact: everything the agent heard is what the simulator sent, in order.
    const stream = call.streams[0];
    const sent = callerAudioOf(stream);
    const received = pcm16ToBytes(concatSamples(heard));
    expect(received.length).toBeGreaterThanOrEqual(3 * 16_000); // the whole 3 s fixture
    expect(received.equals(sent.subarray(0, received.length))).toBe(true);

    // DTMF arrived, in order.
    expect(digits).toEqual(['5', '0']);

    // Bot audio: valid chunks, real-time pace within 10 %, nothing dropped.
    expect(stream.violations).toEqual([]);
    expect(stream.botChunks.length).toBeGreaterThanOrEqual(20);
    for (const chunk of stream.botChunks) expect(exotelChunkViolation(chunk.bytes)).toBeUndefined();
    const played = Buffer.concat(stream.botChunks.map((c) => c.payload));
    expect(played.length).toBeGreaterThanOrEqual(4 * 16_000);
    expect(
      Array.from(decodePayload({ encoding: 'pcm16', sampleRate: 8000 }, played.subarray(0, 3_200))),
    ).toEqual(Array.from(tone(8000, 0.2)));
    const pace = paceOf(stream);
    expect(pace).toBeGreaterThan(0.9);
    expect(pace).toBeLessThan(1.1);

    // The mark came back once the audio before it had played.
    expect(markEchoed).toBe(true);
    const echo = stream.marksEchoed.find((m) => m.name === 'reply-end');
    const lastChunk = stream.botChunks[stream.botChunks.length - 1];
    expect(echo!.at).toBeGreaterThanOrEqual(lastChunk.playedAt!);

    // The stream ended by the bot; Exotel's report reached the second Passthru.
    expect(stream.endedBy).toBe('bot');
    const [firstPassthru, secondPassthru] = call.requests.filter((r) => r.kind === 'passthru');
    expect(firstPassthru.query).not.toHaveProperty('Stream[Status]');
    expect(secondPassthru.query).toMatchObject({
      'Stream[Status]': 'completed',
      'Stream[DisconnectedBy]': 'bot',
    });

    // Transfer: dial-up returned the agent's number; the simulator bridged it.
    const dialUp = call.requests.find((r) => r.kind === 'connect');
    expect(dialUp?.headers).toEqual({ 'Exotel-Version': '1.0' });
    expect(dialUp?.body).toMatchObject({
      fetch_after_attempt: false,
      destination: { numbers: [AGENT_NUMBER] },
    });
    expect(call.bridge).toMatchObject({ number: '09812345678', status: 'completed', onCallSeconds: 20 });

    // The terminal status callback carries the bridge leg, to the configured URL.
    const terminal = await simulator.waitForCallback(
      (d) => d.callSid === call.sid && d.eventType === 'terminal',
    );
    expect(terminal.url).toBe(hook('/exotel/callback/status'));
    expect(terminal.payload).toMatchObject({
      Direction: 'inbound',
      Status: 'completed',
      ConversationDuration: 20,
      DialWhomNumber: '09812345678',
      Legs: [{ Status: 'completed' }, { Status: 'completed', OnCallDuration: 20 }],
    });
    // The service's status callback took it: one call record holds the bridge and the voice story.
    await until(
      async () => (await service.app.get(CallRecords).findByCallSid(call.sid))?.status === 'completed',
    );
    // The stream's stop is recorded when the service sees the socket close, independently of the
    // requests Exotel makes once its side has closed (the next Passthru, the dial-up): wait for it.
    await until(async () => (await service.app.get(VoiceCallRecords).find(call.sid))?.stream.stoppedAt);
    const callRecord = await service.app.get(CallRecords).findByCallSid(call.sid);
    expect(terminal.ok).toBe(true);
    // Passthru's `Direction` (`incoming`) created the record; the callback completed it.
    expect(callRecord).toMatchObject({ origin: 'callback', direction: 'incoming', status: 'completed' });
    expect(callRecord?.legs).toHaveLength(2);
    expect(callRecord?.legs[1]).toMatchObject({ status: 'completed', onCallDurationSeconds: 20 });
    expect(callRecord?.extensions.voice).toMatchObject({
      stream: { streamSid: stream.streamSid, disconnectedBy: 'bot', stopReason: 'transfer' },
      transfer: { to: AGENT_NUMBER, count: 1 },
    });

    // The call record and its events.
    const records = service.app.get(VoiceCallRecords);
    expect(records).toBeInstanceOf(DatabaseVoiceCallRecords);
    const record = await records.find(call.sid);
    expect(record).toMatchObject({
      from: CALLER,
      to: '+918047491899',
      passthruCount: 2,
      lastBranch: 'ok',
      stream: {
        streamSid: stream.streamSid,
        status: 'completed',
        disconnectedBy: 'bot',
        stopReason: 'transfer',
      },
      transfer: { to: AGENT_NUMBER, count: 1 },
    });
    expect(record?.stream.durationSeconds).toBeGreaterThanOrEqual(4);
    expect(record?.transfer.dialledAt).toBeInstanceOf(Date);
    const events = await service.app
      .get(ExotelDatabase)
      .read((m) => m.find(OutboxEventEntity, { where: { subject: call.sid }, order: { id: 'ASC' } }));
    // Exotel's requests are recorded in flow order. The stream's stop races the second Passthru and
    // the dial-up (both sent once Exotel's side of the socket closed): it comes once, after the
    // transfer request that closed the socket, wherever it falls among them.
    const types = events.map((e) => e.type);
    expect(types.filter((type) => type !== 'voice.stream_stopped')).toEqual([
      'voice.passthru_received',
      'voice.stream_started',
      'voice.transfer_requested',
      'voice.passthru_received',
      'voice.transfer_dialled',
    ]);
    expect(types.filter((type) => type === 'voice.stream_stopped')).toHaveLength(1);
    expect(types.indexOf('voice.stream_stopped')).toBeGreaterThan(types.indexOf('voice.transfer_requested'));
    // No secret or stream URL in logs.
    expect(service.logs.text()).not.toContain(TEST_WEBHOOK_SECRET);
  });

  it('decodes mu-law streams exactly and answers in valid mu-law chunks', async () => {
    const heard: VoiceInput[] = [];
    agent.behaviour = async (session) => {
      let spoke = false;
      for await (const input of session) {
        heard.push(input);
        if (!spoke && heard.length === 5) {
          spoke = true;
          void session
            .send(tone(8000, 1))
            .then(() => session.mark('done'))
            .then(() => session.hangup());
        }
      }
    };
    simulator.defineFlow('5002', {
      applets: [{ type: 'voicebot', url: wsUrl(), script: { encoding: 'mulaw' } }, { type: 'hangup' }],
    });
    const started = simulator.startInboundCall({ from: CALLER, to: EXOPHONE, appId: '5002' });
    const call = await simulator.waitForFlowCall(started.sid, undefined, 20_000);
    const stream = call.streams[0];
    expect(agent.sessions[agent.sessions.length - 1].metadata.format).toEqual({
      encoding: 'mulaw',
      sampleRate: 8000,
    });
    const expected = decodePayload({ encoding: 'mulaw', sampleRate: 8000 }, callerAudioOf(stream));
    const received = concatSamples(heard);
    expect(received.length).toBeGreaterThan(0);
    expect(Array.from(received)).toEqual(Array.from(expected.subarray(0, received.length)));
    expect(stream.violations).toEqual([]);
    const botBytes = stream.botChunks.reduce((n, c) => n + c.bytes, 0);
    expect(botBytes).toBeGreaterThanOrEqual(8_000); // 1 s of mu-law
    expect(stream.botChunks.every((c) => c.bytes % 320 === 0 && c.bytes >= 3_200)).toBe(true);
    expect(stream.endedBy).toBe('bot');
  });

  it('clear drops the audio still queued, and the mark behind it reports false', async () => {
    let markResult: boolean | undefined;
    let clearedAt = 0;
    let queuedBefore = 0;
    let queuedAfter = -1;
    agent.behaviour = async (session) => {
      const speech = session.send(tone(8000, 6));
      const mark = session.mark('after-speech');
      await sleep(1_000);
      queuedBefore = session.queuedMs;
      clearedAt = performance.now();
      session.clear();
      queuedAfter = session.queuedMs;
      await speech;
      markResult = await mark;
      session.hangup();
    };
    simulator.defineFlow('5003', { applets: [{ type: 'voicebot', url: wsUrl() }, { type: 'hangup' }] });
    const started = simulator.startInboundCall({ from: CALLER, to: EXOPHONE, appId: '5003' });
    const call = await simulator.waitForFlowCall(started.sid, undefined, 20_000);
    const stream = call.streams[0];

    expect(queuedBefore).toBeGreaterThan(3_000);
    expect(queuedAfter).toBe(0);
    expect(markResult).toBe(false);
    expect(stream.clears).toHaveLength(1);
    expect(stream.marksEchoed).toEqual([]);
    // Nothing arrived after the clear, and far less than the 6 s queued was ever sent.
    expect(stream.botChunks.every((c) => c.at <= stream.clears[0].at)).toBe(true);
    const sentMs = stream.botChunks.reduce((n, c) => n + c.bytes, 0) / 16;
    expect(sentMs).toBeLessThan(3_000);
    expect(clearedAt).toBeGreaterThan(0);
  });
});
