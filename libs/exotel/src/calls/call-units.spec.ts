import { ExotelApiError } from '../errors/exotel-api.error';
import { ExotelNetworkError } from '../errors/exotel-network.error';
import { ExotelRateLimitError } from '../errors/exotel-rate-limit.error';
import { ExotelTimeoutError } from '../errors/exotel-timeout.error';
import { resolveExotelOptions } from '../options/resolve-exotel-options';
import { classifyAttempt } from './call-outcome';
import { prepareCall } from './call-request';
import { composeCustomField, newCorrelationId, parseCustomField } from './correlation';
import { readStatusCallback } from './status-callback-payload';

const options = resolveExotelOptions({
  credentials: { apiKey: 'k', apiToken: 't', accountSid: 'acme' },
  applets: { defaultAppId: '111', templates: { onboarding: '222' } },
  calls: { defaultCallerId: '08047491899' },
});
const noon = new Date('2026-03-02T06:30:00Z'); // 12:00 IST

describe('prepareCall', () => {
  it('normalises Indian numbers to E.164 and picks the per-template applet before the default', () => {
    expect(prepareCall({ from: '09876543210', to: '9812345678' }, options, noon)).toMatchObject({
      mode: 'connect',
      from: '+919876543210',
      to: '+919812345678',
      callerIdRef: '08047491899',
    });
    expect(prepareCall({ from: '9876543210', template: 'onboarding' }, options, noon).target).toBe('222');
    expect(prepareCall({ from: '9876543210', template: 'other' }, options, noon).url).toBe(
      'http://my.exotel.com/acme/exoml/start_voice/111',
    );
  });

  it('refuses promotional calls at 21:00 IST and accepts them at 20:59', () => {
    const call = { from: '9876543210', to: '9812345678', purpose: 'promotional' as const };
    expect(() => prepareCall(call, options, new Date('2026-03-02T15:30:00Z'))).toThrow(
      expect.objectContaining({ code: 'PROMOTIONAL_CALL_OUTSIDE_HOURS' }),
    );
    expect(prepareCall(call, options, new Date('2026-03-02T15:29:00Z')).purpose).toBe('promotional');
  });
});

describe('classifyAttempt', () => {
  const init = { method: 'POST', path: '/Calls/connect' };
  it.each([
    [new ExotelApiError({ ...init, status: 504 }), 'failed'],
    [new ExotelApiError({ ...init, status: 500 }), 'failed'],
    [new ExotelApiError({ ...init, status: 503, exotelCode: 35008 }), 'failed'],
    [new ExotelApiError({ ...init, status: 502 }), 'unknown'],
    [new ExotelApiError({ ...init, status: 400 }), 'failed'],
    [new ExotelRateLimitError({ ...init, status: 429 }, 'exotel', 1000), 'rate_limited'],
    [new ExotelTimeoutError('POST', '/x', 'response', 35000), 'unknown'],
    [new ExotelTimeoutError('POST', '/x', 'connect', 5000), 'not_sent'],
    [new ExotelNetworkError('POST', '/x', 'ECONNREFUSED', false), 'not_sent'],
    [new ExotelNetworkError('POST', '/x', 'ECONNRESET', true), 'unknown'],
  ])('%s -> %s', (error, kind) => {
    expect(classifyAttempt(error).kind).toBe(kind);
  });
});

describe('correlation ids in CustomField', () => {
  it('round-trips with and without a user value, and fits 128 characters', () => {
    const id = newCorrelationId();
    expect(parseCustomField(composeCustomField(id, null))).toEqual({ correlationId: id, userValue: null });
    const long = composeCustomField(id, 'x'.repeat(111));
    expect(long).toHaveLength(128);
    expect(parseCustomField(long)).toEqual({ correlationId: id, userValue: 'x'.repeat(111) });
    expect(parseCustomField('order_12345')).toBeNull();
  });
});

describe('readStatusCallback', () => {
  it('rebuilds flattened legs and keys answered callbacks by the legs answered', () => {
    const first = readStatusCallback({
      CallSid: 'abc',
      EventType: 'answered',
      Status: 'in-progress',
      'Legs[0][Status]': 'in-progress',
      'Legs[1][Status]': '',
      RecordingUrl: 'null',
    });
    expect(first).toMatchObject({ eventKey: 'answered:1', recordingUrl: null });
    expect(first.legs).toEqual([
      { status: 'in-progress', onCallDurationSeconds: null, answeredBy: null },
      { status: '', onCallDurationSeconds: null, answeredBy: null },
    ]);
    expect(readStatusCallback({ CallSid: 'abc', Status: 'no-answer' }).eventType).toBe('terminal');
    expect(() =>
      readStatusCallback({ CallSid: 'abc', EventType: 'terminal', Status: 'in-progress' }),
    ).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});
