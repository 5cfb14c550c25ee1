import { exotelSid, int32Count, isoInstant, parseAtEdge, safeText } from './edge-schemas';
import { realExotelTime, realInstant, textProblem, unsafeTextIn } from './edge-values';

describe('edge values', () => {
  it('refuses text with a NUL or a lone UTF-16 surrogate, anywhere in a value, keys included', () => {
    expect(textProblem('plain text, emoji 🎉 and हिन्दी')).toBeUndefined();
    expect(textProblem('a\u0000b')).toMatch(/NUL/);
    expect(textProblem('x\uD800')).toMatch(/surrogate/);
    expect(textProblem('\uDFFFx')).toMatch(/surrogate/);
    expect(unsafeTextIn({ a: [{ b: 'ok' }, { c: 'bad\u0000' }] })).toEqual({
      field: 'a.1.c',
      message: 'c must not contain a NUL character',
    });
    expect(unsafeTextIn({ ['k\uD800']: 1 })).toMatchObject({ message: expect.stringMatching(/field name/) });
    let deep: unknown = 'leaf';
    for (let i = 0; i < 40; i++) deep = { deep };
    expect(unsafeTextIn(deep)).toMatchObject({ message: expect.stringMatching(/nested/) });
  });

  it('reads only real instants: February 30, hour 25, no offset and years before 2000 are refused', () => {
    expect(realInstant('2026-06-01T10:00:00+05:30')).toEqual(new Date('2026-06-01T04:30:00Z'));
    expect(realInstant('2026-06-01T10:00:00.123Z')).toEqual(new Date('2026-06-01T10:00:00.123Z'));
    for (const bad of [
      '2026-02-30T10:00:00Z',
      '2026-06-01T25:00:00Z',
      '2026-06-01T10:00:00',
      '1970-01-01T00:00:00Z',
      '-271821-04-20T00:00:00Z',
      '+275760-09-13T00:00:00Z',
      'yesterday',
    ]) {
      expect([bad, realInstant(bad)]).toEqual([bad, undefined]);
    }
    expect(realExotelTime('2026-06-01 10:00:00')).toEqual(new Date('2026-06-01T04:30:00Z'));
    expect(realExotelTime('1970-01-01 05:30:00')).toBeNull();
    expect(realExotelTime('2026-02-30 10:00:00')).toBeUndefined();
  });

  it('gives the webhooks zod pieces on the same rules, failing with VALIDATION_FAILED per field', () => {
    expect(exotelSid.safeParse('b6cfaf5fd4fb4a4d5d2a0c9ef8bf15c1').success).toBe(true);
    for (const bad of [true, -1, '-1', '', 'a b', 'x'.repeat(65), 'Calls/true'])
      expect([bad, exotelSid.safeParse(bad).success]).toEqual([bad, false]);
    expect(int32Count.parse('20')).toBe(20);
    expect(int32Count.parse(2.6)).toBe(3);
    for (const bad of [-1, 2 ** 31, 1e308, '1e308', 'NaN', true])
      expect([bad, int32Count.safeParse(bad).success]).toEqual([bad, false]);
    expect(isoInstant.safeParse('2026-02-30T00:00:00Z').success).toBe(false);
    expect(safeText(5).safeParse('123456').success).toBe(false);
    expect(() => parseAtEdge(safeText(5), 'a\u0000')).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });
});
