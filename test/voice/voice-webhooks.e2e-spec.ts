import { PassthruDecision, VoiceCallRecords, type PassthruAnswer } from 'nestjs-exotel';
import { OutboxEventEntity, ExotelDatabase } from 'nestjs-exotel/internal';
import { WebSocket } from 'ws';
import { startTestService, TEST_WEBHOOK_SECRET, type TestService } from '../support/test-service';
import { ScriptedAgent, sleep } from './voice-test-agent';

const KEY = `key=${TEST_WEBHOOK_SECRET}`;

/** Routes Passthru answers: calls whose CustomField is `vip` take the second branch (302). */
class VipDecision extends PassthruDecision {
  decide(answer: PassthruAnswer): Promise<'ok' | 'found'> {
    return Promise.resolve(answer.customField === 'vip' ? 'found' : 'ok');
  }
}

describe('voice webhooks and the stream gateway (e2e)', () => {
  let service: TestService;
  const agent = new ScriptedAgent();

  beforeAll(async () => {
    service = await startTestService({
      providers: [{ provide: ScriptedAgent, useValue: agent }],
      customize: (builder) => builder.overrideProvider(PassthruDecision).useValue(new VipDecision()),
    });
  });

  afterAll(async () => {
    await service.close();
  });

  const answer = (query: string) => fetch(`${service.url}/exotel/answer?${query}`, { redirect: 'manual' });
  const events = (subject: string) =>
    service.app
      .get(ExotelDatabase)
      .read((m) => m.find(OutboxEventEntity, { where: { subject }, order: { id: 'ASC' } }));

  it('records every Passthru field, digits unquoted, and the bracketed Stream report', async () => {
    const query = new URLSearchParams({
      key: TEST_WEBHOOK_SECRET,
      CallSid: 'call-brackets-1',
      CallFrom: '09876543210',
      CallTo: '08047491899',
      From: '09876543210',
      To: '08047491899',
      Direction: 'incoming',
      Created: 'Mon, 23 Nov 2026 18:00:00',
      DialCallDuration: '0',
      StartTime: '2026-11-23 18:00:00',
      CurrentTime: '2026-11-23 18:00:31',
      EndTime: '1970-01-01 05:30:00',
      CallType: 'call-attempt',
      digits: '"123"',
      RecordingUrl: 'https://recordings.exotel.com/r.mp3',
      DialWhomNumber: '',
      CustomField: 'order-42',
      flow_id: 'voicebot-flow-1',
      'Stream[StreamSID]': 'stream-1',
      'Stream[Status]': 'completed',
      'Stream[Duration]': '28',
      'Stream[RecordingUrl]': 'https://recordings.exotel.com/stream-1.mp3',
      'Stream[StreamUrl]': `wss://bot:pw@stream.example.com/media?${KEY}`,
      'Stream[DisconnectedBy]': 'bot',
    });
    const response = await answer(query.toString());
    expect(response.status).toBe(200);
    const record = await service.app.get(VoiceCallRecords).find('call-brackets-1');
    expect(record).toMatchObject({
      direction: 'incoming',
      from: '+919876543210',
      to: '+918047491899',
      flowId: 'voicebot-flow-1',
      callType: 'call-attempt',
      digits: '123',
      customField: 'order-42',
      passthruCount: 1,
      lastBranch: 'ok',
      stream: {
        streamSid: 'stream-1',
        status: 'completed',
        durationSeconds: 28,
        disconnectedBy: 'bot',
        recordingUrl: 'https://recordings.exotel.com/stream-1.mp3',
      },
    });
    const [event] = await events('call-brackets-1');
    expect(event.type).toBe('voice.passthru_received');
    expect(JSON.stringify(event.data)).not.toContain(TEST_WEBHOOK_SECRET);
    expect(JSON.stringify(event.data)).not.toContain('pw@');
    expect(service.logs.text()).not.toContain(TEST_WEBHOOK_SECRET);
  });

  it('reads the JSON Stream form, and answers 302 when the decision says so', async () => {
    const query = new URLSearchParams({
      key: TEST_WEBHOOK_SECRET,
      CallSid: 'call-json-1',
      CallFrom: '+919876543210',
      Direction: 'inbound',
      CustomField: 'vip',
      Stream: JSON.stringify({
        StreamSID: 'stream-2',
        Status: 'failed',
        Duration: '3',
        DisconnectedBy: 'user',
        Error: 'bot unreachable',
      }),
    });
    const response = await answer(query.toString());
    expect(response.status).toBe(302);
    const record = await service.app.get(VoiceCallRecords).find('call-json-1');
    expect(record).toMatchObject({
      lastBranch: 'found',
      stream: { streamSid: 'stream-2', status: 'failed', durationSeconds: 3, disconnectedBy: 'user' },
    });
  });

  it('refuses a Passthru without the secret (401) or without a CallSid (400), recording nothing', async () => {
    expect((await answer('CallSid=call-no-key')).status).toBe(401);
    const bad = await answer(`${KEY}&CallFrom=09876543210`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'PASSTHRU_INVALID' });
    expect(await service.app.get(VoiceCallRecords).find('call-no-key')).toBeUndefined();
  });

  it('refuses a Passthru whose fields are longer than they may be with 400, recording nothing', async () => {
    const long = await answer(`${KEY}&CallSid=call-long&Direction=${'x'.repeat(21)}`);
    expect(long.status).toBe(400);
    expect(await long.json()).toMatchObject({
      code: 'PASSTHRU_INVALID',
      message: expect.stringContaining('Direction must be at most 20 characters'),
    });
    const stream = await answer(`${KEY}&CallSid=call-long&Stream[Status]=${'y'.repeat(21)}`);
    expect(stream.status).toBe(400);
    expect(await service.app.get(VoiceCallRecords).find('call-long')).toBeUndefined();
  });

  it('dial-up: numbers [] for an unknown call, the secret required', async () => {
    const unknown = await fetch(`${service.url}/exotel/dial-up?${KEY}&CallSid=nobody`, {
      headers: { 'Exotel-Version': '1.0' },
    });
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toMatchObject({
      fetch_after_attempt: false,
      destination: { numbers: [] },
      max_ringing_duration: 45,
      music_on_hold: { type: 'operator_tone' },
    });
    expect((await fetch(`${service.url}/exotel/dial-up?CallSid=nobody`)).status).toBe(401);
  });

  it('refuses a stream without the secret before any WebSocket exists', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(
        `${service.url.replace('http', 'ws')}/exotel/stream?key=wrong-secret-000000000`,
      );
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.on('open', () => reject(new Error('opened')));
      socket.on('error', () => undefined);
    });
    expect(status).toBe(401);
  });

  it('skips malformed frames without ending the call, and takes the secret as a Basic password', async () => {
    const inputs: string[] = [];
    agent.behaviour = async (session) => {
      for await (const input of session)
        inputs.push(input.type === 'dtmf' ? `dtmf:${input.digit}` : `audio:${input.samples.length}`);
    };
    const socket = new WebSocket(`${service.url.replace('http', 'ws')}/exotel/stream`, {
      headers: { Authorization: `Basic ${Buffer.from(`exotel:${TEST_WEBHOOK_SECRET}`).toString('base64')}` },
    });
    await new Promise((resolve, reject) => {
      socket.on('open', resolve);
      socket.on('error', reject);
    });
    const frame = Buffer.alloc(1_600, 1).toString('base64');
    socket.send(JSON.stringify({ event: 'connected' }));
    socket.send(JSON.stringify({ event: 'media', media: { payload: frame } })); // before start
    socket.send(
      JSON.stringify({
        event: 'start',
        start: {
          stream_sid: 'raw-stream',
          call_sid: 'raw-call',
          from: '+919876543210',
          custom_parameters: {},
          media_format: { encoding: 'raw', sample_rate: 8000 },
        },
      }),
    );
    socket.send('this is not json');
    socket.send(JSON.stringify({ event: 'media', media: { payload: '%%%not base64%%%' } }));
    socket.send(JSON.stringify({ event: 'dance', stream_sid: 'raw-stream' }));
    socket.send(JSON.stringify({ event: 'media', media: { payload: frame } }));
    socket.send(JSON.stringify({ event: 'dtmf', dtmf: { digit: '7' } }));
    socket.send(JSON.stringify({ event: 'stop', stop: { reason: 'callended' } }));
    await sleep(200);
    socket.close();
    const records = service.app.get(VoiceCallRecords);
    let record = await records.find('raw-call');
    for (let i = 0; i < 50 && !record?.stream.stoppedAt; i++) {
      await sleep(50);
      record = await records.find('raw-call');
    }
    expect(inputs).toEqual(['audio:800', 'dtmf:7']);
    expect(record?.stream).toMatchObject({
      streamSid: 'raw-stream',
      disconnectedBy: 'user',
      stopReason: 'callended',
    });
    const stopped = (await events('raw-call')).find((e) => e.type === 'voice.stream_stopped');
    expect(stopped?.data).toMatchObject({ framesReceived: 1, malformedFrames: 3, disconnectedBy: 'user' });
    const logs = service.logs.text();
    expect(logs).toContain('Malformed stream frame skipped');
    expect(logs).toContain('media payload is not base64');
    expect(logs).not.toContain(TEST_WEBHOOK_SECRET);
  });
});
