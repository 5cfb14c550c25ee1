import {
  ExotelDatabase,
  ExoPhoneSweeper,
  HeartbeatIngestion,
  ManualClock,
  OutboxEventEntity,
} from 'nestjs-exotel/internal';
import { TEST_WEBHOOK_SECRET, type TestService } from '../support/test-service';
import { heartbeat, startOnClock } from './heartbeat-fixtures';

const STAMP = '2026-11-23T10:00:00Z';
const SID = '08030000001';

/** A WARNING heartbeat for SID whose outgoing leg has `leg`, and whose entry has `entry`. */
function withLeg(leg: Record<string, unknown>, entry: Record<string, unknown> = {}) {
  const body = heartbeat(STAMP, 'WARNING', { outgoing: [SID] });
  const data = body.data as Record<string, { connectivity: Record<string, object> }>;
  data[SID] = { ...data[SID], ...entry };
  data[SID].connectivity.outgoing_call = { ...data[SID].connectivity.outgoing_call, ...leg };
  return body;
}

// Item 0b of issue 17: every field is checked before the 200, so a heartbeat that could not be
// applied (on PostgreSQL above all) is refused with 400 and never queues ahead of later ones.
describe('heartbeat field validation (e2e)', () => {
  let service: TestService;
  const post = (body: string) =>
    fetch(`${service.url}/exotel/heartbeat?key=${TEST_WEBHOOK_SECRET}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
    });
  const written = () =>
    service.app.get(ExotelDatabase).read(async (m) => ({
      heartbeats: Number((await m.query('SELECT COUNT(*) AS n FROM exotel_heartbeats'))[0].n),
      exophones: Number((await m.query('SELECT COUNT(*) AS n FROM exotel_exophones'))[0].n),
      events: await m.count(OutboxEventEntity),
    }));

  beforeAll(async () => {
    const clock = new ManualClock('2026-11-23T10:00:30Z');
    service = await startOnClock(clock);
  });

  afterAll(async () => {
    await service.close();
  });

  const sid65 = `0${'1'.repeat(64)}`;
  const cases: [string, string, string][] = [
    [
      'a 65-character SID',
      JSON.stringify(heartbeat(STAMP, 'WARNING', { outgoing: [sid65] })),
      'outgoing_affected.0',
    ],
    [
      'a NUL in a SID',
      JSON.stringify(heartbeat(STAMP, 'WARNING', { outgoing: ['0803\u00000001'] })),
      // The SID is also a key of data, found first.
      'data',
    ],
    [
      'a NUL in alternate_exophone',
      JSON.stringify(withLeg({ alternate_exophone: '+9180\u00000001' })),
      `data.${SID}.connectivity.outgoing_call.alternate_exophone`,
    ],
    // JSON.stringify would escape a lone surrogate; Exotel's body can carry one as \ud800.
    [
      'a lone surrogate in alternate_exophone',
      JSON.stringify(withLeg({ alternate_exophone: 'X' })).replace('"X"', '"\\ud800"'),
      `data.${SID}.connectivity.outgoing_call.alternate_exophone`,
    ],
    [
      'a lone surrogate in a key',
      JSON.stringify(withLeg({}, { note: 'X' })).replace('"note"', '"\\udc00"'),
      `data.${SID}`,
    ],
    [
      'last_check_time -271821-04-20',
      JSON.stringify(withLeg({ last_check_time: '-271821-04-20T00:00:00Z' })),
      `data.${SID}.connectivity.outgoing_call.last_check_time`,
    ],
    [
      'last_check_time on February 30',
      JSON.stringify(withLeg({ last_check_time: '2026-02-30T10:00:00Z' })),
      `data.${SID}.connectivity.outgoing_call.last_check_time`,
    ],
    [
      'last_check_time in 2099',
      JSON.stringify(withLeg({ last_check_time: '2099-01-01T00:00:00Z' })),
      `data.${SID}.connectivity.outgoing_call.last_check_time`,
    ],
    ['a timestamp on February 30', JSON.stringify(heartbeat('2026-02-30T10:00:00Z', 'OK')), 'timestamp'],
    [
      'constructor in a list',
      JSON.stringify(heartbeat(STAMP, 'WARNING', { incoming: ['constructor'] })),
      'incoming_affected.0',
    ],
    [
      '__proto__ in a list',
      JSON.stringify(heartbeat(STAMP, 'WARNING', { outgoing: ['__proto__'] })),
      'outgoing_affected.0',
    ],
    [
      '__proto__ as a data key',
      `{"timestamp":"${STAMP}","status_type":"WARNING","data":{"__proto__":{"phone_number":"+918030000001"}}}`,
      'data',
    ],
    [
      'a status that is a number',
      JSON.stringify(withLeg({ status: 3 })),
      `data.${SID}.connectivity.outgoing_call.status`,
    ],
    [
      'a phone number that is no number',
      JSON.stringify(withLeg({}, { phone_number: 'call me' })),
      `data.${SID}.phone_number`,
    ],
  ];

  it.each(cases)(
    'refuses %s with 400 VALIDATION_FAILED, each retry alike, writing nothing',
    async (_name, body, field) => {
      const before = await written();
      for (let delivery = 0; delivery < 3; delivery++) {
        const response = await post(body);
        const answer = (await response.json()) as {
          code: string;
          details?: { violations: { field: string }[] };
        };
        expect([response.status, answer.code]).toEqual([400, 'VALIDATION_FAILED']);
        expect(answer.details?.violations.map((v) => v.field)).toContain(field);
      }
      await service.app.get(HeartbeatIngestion).applyPending();
      expect(await written()).toEqual(before);
      expect(await service.app.get(ExoPhoneSweeper).current()).toBeNull();
    },
  );

  it('still takes a heartbeat that is well formed', async () => {
    const response = await post(JSON.stringify(withLeg({ alternate_exophone: ['+918030000002', ''] })));
    expect(response.status).toBe(200);
    await service.app.get(HeartbeatIngestion).applyPending();
    expect((await written()).exophones).toBe(1);
  });
});
