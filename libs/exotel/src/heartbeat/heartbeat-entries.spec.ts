import fc from 'fast-check';
import { DateTime } from 'luxon';
import { realInstant } from '../http/edge-values';
import { heartbeatEntrySchema, quickHeartbeatEntry } from './heartbeat-entries';

const LATEST = Date.parse('2026-12-04T12:00:00Z');

/** Heartbeat entries as Exotel sends them, with every kind of bad value mixed in. */
const instantText = fc.oneof(
  fc.constantFrom(
    '2026-12-04T10:00:00Z',
    '2026-12-04T15:30:00+05:30',
    '2026-02-29T10:00:00Z',
    '2026-12-04T12:05:00Z',
  ),
  fc.constantFrom(
    '2026-02-30T10:00:00Z',
    '1999-12-31T23:59:59Z',
    '2026-12-04 10:00:00',
    '2026-12-04T24:00:00Z',
    '',
  ),
  fc
    .date({ min: new Date('1998-01-01'), max: new Date('2027-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.string(),
);
const alternate = fc.oneof(
  fc.constantFrom('', '08047491899', '+918047491899', 'constructor', '0' + 'x'.repeat(70), ' 080 '),
  fc.string(),
);
const leg = fc.oneof(
  fc.constantFrom(undefined, null, 'down', [], 7),
  fc.record(
    {
      status: fc.oneof(
        fc.constantFrom('active', 'major_outage', null, 'x'.repeat(31)),
        fc.string(),
        fc.integer(),
      ),
      last_check_time: fc.oneof(instantText, fc.constant(null), fc.integer()),
      alternate_exophone: fc.oneof(
        alternate,
        fc.array(alternate, { maxLength: 3 }),
        fc.constant(null),
        fc.integer(),
      ),
    },
    { requiredKeys: [] },
  ),
);
const entry = fc.oneof(
  fc.constantFrom(null, 'x', [], 3),
  fc.record(
    {
      phone_number: fc.oneof(
        fc.constantFrom('+918047491899', '08047491899', '1'.repeat(21), null),
        fc.string(),
      ),
      connectivity: fc.oneof(
        fc.record({ incoming_call: leg, outgoing_call: leg }, { requiredKeys: [] }),
        fc.constant(null),
      ),
      incoming_call: leg,
      outgoing_call: leg,
      extra: fc.string(),
    },
    { requiredKeys: [] },
  ),
);

describe('heartbeat entries checked by hand', () => {
  it('agree with the schema on every entry they accept, and leave the rest to it', () => {
    const schema = heartbeatEntrySchema(LATEST);
    let quick = 0;
    fc.assert(
      fc.property(entry, (raw) => {
        const byHand = quickHeartbeatEntry(raw, LATEST, new Map());
        const bySchema = schema.safeParse(raw);
        if (byHand === undefined) return;
        quick += 1;
        expect(bySchema.success).toBe(true);
        expect(byHand).toEqual(bySchema.data);
      }),
      { numRuns: 3_000 },
    );
    // The generator produces plainly valid entries too: the hand check is exercised, not bypassed.
    expect(quick).toBeGreaterThan(100);
  });

  it('read RFC 3339 instants exactly, in any offset, refusing what is not a real time', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        (date, offsetMinutes) => {
          const text = DateTime.fromJSDate(date, { zone: 'utc' })
            .setZone(
              offsetMinutes === 0
                ? 'utc'
                : `UTC${offsetMinutes > 0 ? '+' : '-'}${Math.floor(Math.abs(offsetMinutes) / 60)}:${String(Math.abs(offsetMinutes) % 60).padStart(2, '0')}`,
            )
            .toISO();
          expect(realInstant(text!)).toEqual(date);
        },
      ),
      { numRuns: 2_000 },
    );
    for (const bad of [
      '2026-02-29T10:00:00Z',
      '2025-04-31T00:00:00Z',
      '2026-01-01T23:60:00Z',
      '2026-01-01T10:00:61Z',
      '2026-13-01T00:00:00Z',
      '2026-00-10T00:00:00Z',
    ])
      expect([bad, realInstant(bad)]).toEqual([bad, undefined]);
    expect(realInstant('2024-02-29T23:30:00-01:00')).toEqual(new Date('2024-03-01T00:30:00Z'));
    expect(realInstant('2026-06-01T10:00:00.123456789Z')).toEqual(new Date('2026-06-01T10:00:00.123Z'));
  });
});
