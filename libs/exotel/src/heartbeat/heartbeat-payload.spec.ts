import { ValidationFailedError } from '../errors/http-request.errors';
import { observationsOf, parseHeartbeat } from './heartbeat-payload';

function fieldsOf(body: unknown): string[] {
  try {
    parseHeartbeat(body);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationFailedError);
    return (error as ValidationFailedError).violations.map((v) => v.field);
  }
  throw new Error('expected the heartbeat to be refused');
}

describe('heartbeat payload', () => {
  it("reads the seed's OK scenario: null lists, empty data, no observations", () => {
    const payload = parseHeartbeat({
      timestamp: '2018-08-22T15:19:23Z',
      status_type: 'OK',
      incoming_affected: null,
      outgoing_affected: null,
      data: {},
    });
    expect(payload).toMatchObject({ statusType: 'OK', incomingAffected: [], outgoingAffected: [] });
    expect(payload.timestamp.toISOString()).toBe('2018-08-22T15:19:23.000Z');
    expect(observationsOf(payload)).toEqual([]);
  });

  it('accepts the stray ">" of the published WARNING example and missing lists', () => {
    const payload = parseHeartbeat({
      timestamp: '2018-08-22T15:19:23Z>',
      status_type: 'WARNING',
      data: { '07930061010': { phone_number: '+917930061010' } },
    });
    expect(payload.timestamp.toISOString()).toBe('2018-08-22T15:19:23.000Z');
    // Affected, but the heartbeat does not say how: unknown, never active.
    expect(observationsOf(payload)).toEqual([
      expect.objectContaining({
        exoPhoneSid: '07930061010',
        direction: 'incoming',
        state: 'unknown',
        phoneNumber: '+917930061010',
      }),
      expect.objectContaining({ exoPhoneSid: '07930061010', direction: 'outgoing', state: 'unknown' }),
    ]);
  });

  it('reads the affected lists with a connectivity block, direct legs, or only a phone number', () => {
    const payload = parseHeartbeat({
      timestamp: '2026-11-23T10:00:00+05:30',
      status_type: 'WARNING',
      incoming_affected: ['01100000001', '01100000003'],
      outgoing_affected: ['01100000002'],
      data: {
        '01100000001': {
          phone_number: '+912230000001',
          connectivity: {
            incoming_call: {
              status: 'partial_network_outage',
              last_check_time: '2026-11-23T04:29:00Z',
              alternate_exophone: '+918030000002',
            },
            outgoing_call: {
              status: 'active',
              last_check_time: '2026-11-23T04:29:00Z',
              alternate_exophone: null,
            },
          },
        },
        '01100000002': {
          phone_number: '+918030000002',
          outgoing_call: { status: 'major_outage', alternate_exophone: ['+914430000003'] },
        },
        '01100000003': { phone_number: '+914430000003' },
      },
    });
    const byKey = Object.fromEntries(
      observationsOf(payload).map((o) => [`${o.exoPhoneSid}:${o.direction}`, o]),
    );
    const [A, B, C] = ['01100000001', '01100000002', '01100000003'];
    expect(Object.keys(byKey).sort()).toEqual([
      `${A}:incoming`,
      `${A}:outgoing`,
      `${B}:outgoing`,
      `${C}:incoming`,
    ]);
    expect(byKey[`${A}:incoming`]).toMatchObject({
      state: 'partial_network_outage',
      alternates: ['+918030000002'],
    });
    expect(byKey[`${A}:incoming`].checkedAt?.toISOString()).toBe('2026-11-23T04:29:00.000Z');
    expect(byKey[`${A}:outgoing`]).toMatchObject({ state: 'active' });
    expect(byKey[`${B}:outgoing`]).toMatchObject({ state: 'major_outage', alternates: ['+914430000003'] });
    // Listed as affected without a status: major outage.
    expect(byKey[`${C}:incoming`]).toMatchObject({ state: 'major_outage' });
  });

  it('gives no observations for PAYLOAD_TOO_LARGE (a sweep must find out)', () => {
    expect(
      observationsOf(parseHeartbeat({ timestamp: '2026-11-23T10:00:00Z', status_type: 'PAYLOAD_TOO_LARGE' })),
    ).toEqual([]);
  });

  it('names the field that makes a body not a heartbeat', () => {
    expect(fieldsOf({ status_type: 'BOGUS' })).toEqual(['timestamp', 'status_type']);
    expect(fieldsOf({ timestamp: 'yesterday', status_type: 'OK' })).toEqual(['timestamp']);
    expect(
      fieldsOf({ timestamp: '2026-11-23T10:00:00Z', status_type: 'OK', incoming_affected: '01100000001' }),
    ).toEqual(['incoming_affected']);
    expect(
      fieldsOf({ timestamp: '2026-11-23T10:00:00Z', status_type: 'OK', data: { '01100000001': 3 } }),
    ).toEqual(['data.01100000001']);
    expect(fieldsOf([1, 2])).toEqual(['(body)']);
  });
});
