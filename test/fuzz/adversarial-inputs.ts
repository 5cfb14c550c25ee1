import fc from 'fast-check';

/** Values that have broken services before: wrong types, NUL, lone surrogates, overflowing numbers and dates. */
const NASTY_CONSTANTS: readonly unknown[] = [
  true,
  false,
  null,
  -1,
  0,
  1.5,
  2 ** 31,
  2 ** 31 - 1,
  -(2 ** 31) - 1,
  2 ** 53,
  1e308,
  -1e308,
  '',
  ' ',
  'null',
  'true',
  '-1',
  'NaN',
  'Infinity',
  '1e308',
  '2147483648',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDFFFy',
  '\uDBFF\uDBFF',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '2026-02-30T10:00:00Z',
  '2026-02-30 10:00:00',
  '2026-13-01T00:00:00Z',
  '-271821-04-20T00:00:00Z',
  '+275760-09-13T00:00:00.000Z',
  '0000-01-01T00:00:00Z',
  '1970-01-01T00:00:00Z',
  '2099-01-01T00:00:00Z',
  '2026-06-01T10:00:00',
  '9999-12-31 23:59:59',
  'wss://bot.example.com/' + 'p'.repeat(1200),
  JSON.parse('{"__proto__":{"polluted":true}}') as unknown,
  [],
  [null],
  {},
];

/** Any one adversarial value: a fixed nasty one, arbitrary UTF-16 (lone surrogates included), huge, nested. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_CONSTANTS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.integer({ min: 65, max: 20_000 }).map((n) => 'x'.repeat(n)) },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.bigInt().map(String)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** The same, as text only (what a form or a query string can carry). */
export const nastyText: fc.Arbitrary<string> = nastyValue.map((value) =>
  typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)),
);

const PROTOTYPE_KEYS = fc.constantFrom('__proto__', 'constructor', 'prototype', 'hasOwnProperty');

/**
 * A valid object with some fields replaced by adversarial values, some dropped, and a few
 * unexpected keys (prototype keys among them) added: deep enough to pass the first checks.
 */
export function mutated<T>(
  base: Record<string, unknown>,
  value: fc.Arbitrary<T>,
): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.fromEntries(
    Object.entries(base).map(([key, original]) => [
      key,
      fc.oneof(
        { weight: 5, arbitrary: fc.constant(original) },
        { weight: 2, arbitrary: value },
        { weight: 1, arbitrary: fc.constant(undefined) },
      ),
    ]),
  );
  const extra = fc.dictionary(fc.oneof(PROTOTYPE_KEYS, fc.string({ maxLength: 12 })), value, {
    maxKeys: 2,
  });
  return fc.tuple(fc.record(fields), extra).map(([record, more]) => {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries({ ...record })) if (v !== undefined) out[key] = v;
    for (const [key, v] of Object.entries(more))
      Object.defineProperty(out, key, { value: v, enumerable: true });
    return out;
  });
}

/** A mutated object flattened to text fields, as a form or a query string sends them. */
export function mutatedText(base: Record<string, string>): fc.Arbitrary<[string, string][]> {
  return mutated(base, nastyText).map((record) =>
    Object.entries(record).map(([key, value]) => [
      key,
      typeof value === 'string' ? value : JSON.stringify(value),
    ]),
  );
}

/** Percent-encodes text as UTF-8 (lone surrogates become U+FFFD, as any client would send them). */
export function formEncode(fields: readonly [string, string][]): string {
  return new URLSearchParams(fields.map(([k, v]): [string, string] => [k, v])).toString();
}

/** A multipart/form-data body (and its content type) with the given text fields. */
export function multipartBody(fields: readonly [string, string][]): { body: Buffer; contentType: string } {
  const boundary = '----fuzz' + Math.random().toString(16).slice(2);
  const parts = fields.map(
    ([name, value]) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name.replace(/["\r\n]/g, '_')}"\r\n\r\n${value}\r\n`,
  );
  return {
    body: Buffer.from(`${parts.join('')}--${boundary}--\r\n`, 'utf8'),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/** Content types a client may get wrong, with the body bytes as sent. */
export const wrongContentType = fc.constantFrom(
  'text/plain',
  'application/xml',
  'application/json; charset=latin1',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  '',
  'application/octet-stream',
);
