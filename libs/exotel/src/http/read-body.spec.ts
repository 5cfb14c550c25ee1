import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { BodyAlreadyReadError, PayloadTooLargeError } from '../errors/http-request.errors';
import { readBody } from './read-body';

/** A request whose body is `chunks`, optionally already read by someone else. */
async function requestOf(chunks: string[], extra: { consumed?: boolean; rawBody?: Buffer } = {}) {
  const stream = Readable.from(chunks.map((c) => Buffer.from(c)));
  const request = Object.assign(stream, { headers: {}, rawBody: extra.rawBody });
  if (extra.consumed) for await (const chunk of request) void chunk;
  return request as unknown as IncomingMessage;
}

describe('readBody', () => {
  it('reads the whole body, refusing more than the limit', async () => {
    expect((await readBody(await requestOf(['{"a":', '1}']), 100)).toString()).toBe('{"a":1}');
    await expect(readBody(await requestOf(['x'.repeat(60), 'y'.repeat(60)]), 100)).rejects.toBeInstanceOf(
      PayloadTooLargeError,
    );
  });

  it('takes a body a parser already read from rawBody, else refuses instead of waiting forever', async () => {
    const raw = Buffer.from('CallSid=CA1');
    expect(await readBody(await requestOf(['CallSid=CA1'], { consumed: true, rawBody: raw }), 100)).toBe(raw);
    await expect(readBody(await requestOf(['CallSid=CA1'], { consumed: true }), 100)).rejects.toBeInstanceOf(
      BodyAlreadyReadError,
    );
    await expect(
      readBody(await requestOf(['x'], { consumed: true, rawBody: Buffer.alloc(101) }), 100),
    ).rejects.toBeInstanceOf(PayloadTooLargeError);
  });
});
