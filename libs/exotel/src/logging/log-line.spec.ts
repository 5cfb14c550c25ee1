import { logLine, stackOf } from './log-line';

describe('logLine', () => {
  it('is the message alone without fields, or with only undefined ones', () => {
    expect(logLine('Connected to Kafka')).toBe('Connected to Kafka');
    expect(logLine('Connected to Kafka', {})).toBe('Connected to Kafka');
    expect(logLine('Connected to Kafka', { brokers: undefined })).toBe('Connected to Kafka');
  });

  it('writes fields in order after the message, leaving undefined ones out', () => {
    expect(logLine('Dial-up answered', { callSid: 'CA1', skipped: undefined, transfer: true })).toBe(
      'Dial-up answered (callSid=CA1, transfer=true)',
    );
  });

  it('writes plain strings as they are and quotes the ambiguous ones as JSON', () => {
    expect(logLine('m', { path: '/v1/Accounts/{sid}/Calls/connect.json', code: 'EXOTEL_RATE_LIMITED' })).toBe(
      'm (path=/v1/Accounts/{sid}/Calls/connect.json, code=EXOTEL_RATE_LIMITED)',
    );
    expect(
      logLine('m', {
        spaced: 'media payload is not base64',
        quoted: 'say "hi"',
        single: "it's",
        equals: 'a=b',
        comma: 'a,b',
        paren: 'a)',
        empty: '',
        tab: 'a\tb',
      }),
    ).toBe(
      'm (spaced="media payload is not base64", quoted="say \\"hi\\"", single="it\'s", equals="a=b", ' +
        'comma="a,b", paren="a)", empty="", tab="a\\tb")',
    );
  });

  it('writes numbers, booleans and null as they are, Dates in ISO 8601', () => {
    expect(
      logLine('m', {
        n: 42,
        f: 1.5,
        nan: Number.NaN,
        big: 10n,
        yes: true,
        no: false,
        none: null,
        at: new Date('2026-03-01T09:30:00.000Z'),
        bad: new Date(Number.NaN),
      }),
    ).toBe(
      'm (n=42, f=1.5, nan=NaN, big=10, yes=true, no=false, none=null, at=2026-03-01T09:30:00.000Z, bad=Invalid Date)',
    );
  });

  it('writes an Error as its message, without its stack', () => {
    const line = logLine('Reconciliation lookup failed; tried again next run', {
      callId: 'c1',
      err: new Error('connect ECONNREFUSED 127.0.0.1:5432'),
    });
    expect(line).toBe(
      'Reconciliation lookup failed; tried again next run (callId=c1, err="connect ECONNREFUSED 127.0.0.1:5432")',
    );
    expect(logLine('m', { err: new TypeError('boom') })).toBe('m (err=boom)');
  });

  it('writes arrays and objects as compact JSON, in their own key order, Errors inside as messages', () => {
    expect(
      logLine('m', {
        topics: ['exotel.calls', 'exotel.exophones'],
        format: { encoding: 'pcm16', sampleRate: 8000 },
        nested: { err: new Error('inner'), at: new Date('2026-03-01T00:00:00.000Z') },
      }),
    ).toBe(
      'm (topics=["exotel.calls","exotel.exophones"], format={"encoding":"pcm16","sampleRate":8000}, ' +
        'nested={"err":"inner","at":"2026-03-01T00:00:00.000Z"})',
    );
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = cycle;
    expect(logLine('m', { cycle })).toBe('m (cycle={"a":1,"self":"[Circular]"})');
  });

  it('redacts fields named like a credential, at any depth', () => {
    expect(
      logLine('m', {
        token: 't0ken',
        apiToken: 'api-t0ken',
        api_key: 'k3y',
        apiKey: 'k3y',
        'x-api-key': 'k3y',
        key: 'webhook-s3cret',
        webhookKey: 'webhook-s3cret',
        secret: 's3cret',
        webhookSecret: 's3cret',
        password: 'p4ss',
        Authorization: 'Basic abc',
        accessToken: 'a',
        refresh_token: 'r',
        credentials: { accountSid: 'AC1' },
        cookie: 'sid=1',
      }),
    ).toBe(
      'm (token=[redacted], apiToken=[redacted], api_key=[redacted], apiKey=[redacted], ' +
        'x-api-key=[redacted], key=[redacted], webhookKey=[redacted], secret=[redacted], ' +
        'webhookSecret=[redacted], password=[redacted], Authorization=[redacted], accessToken=[redacted], ' +
        'refresh_token=[redacted], credentials=[redacted], cookie=[redacted])',
    );
    const nested = logLine('m', {
      sasl: { mechanism: 'plain', username: 'u', password: 'p4ss' },
      headers: [{ authorization: 'Bearer x' }],
    });
    expect(nested).toBe(
      'm (sasl={"mechanism":"plain","username":"u","password":"[redacted]"}, headers=[{"authorization":"[redacted]"}])',
    );
    expect(nested).not.toContain('p4ss');
  });

  it('keeps fields whose names only look close to a credential', () => {
    expect(
      logLine('m', { idempotencyKey: 'idem-1', monkey: 'm', keyCount: 2, sid: 'CA1', callSid: 'CA2' }),
    ).toBe('m (idempotencyKey=idem-1, monkey=m, keyCount=2, sid=CA1, callSid=CA2)');
  });

  it('is always one line: line breaks in the message and the values are escaped', () => {
    const line = logLine('first\nsecond\r\nthird\u2028', {
      err: new Error('line one\nline two'),
      list: ['a\nb'],
    });
    expect(line).not.toMatch(/[\r\n\u2028\u2029]/);
    expect(line).toBe('first\\nsecond\\r\\nthird\\u2028 (err="line one\\nline two", list=["a\\nb"])');
  });
});

describe('stackOf', () => {
  it("is an Error's stack, and nothing for anything else", () => {
    const error = new Error('boom');
    expect(stackOf(error)).toBe(error.stack);
    expect(stackOf('boom')).toBeUndefined();
    expect(stackOf({ message: 'boom' })).toBeUndefined();
  });
});
