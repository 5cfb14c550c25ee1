import type { IncomingMessage } from 'node:http';
import {
  BodyAlreadyReadError,
  MalformedBodyError,
  PayloadTooLargeError,
} from '../errors/http-request.errors';
import { unshieldContentType } from './own-body-routes';

/**
 * Reads a request body into memory, refusing more than `limitBytes` with `PayloadTooLargeError`:
 * at once when `Content-Length` says so, else as soon as the stream passes the limit (the rest is
 * not read). The `Content-Type` the module hid from the host's parsers is put back first. A body a parser already read is taken from `rawBody` (Nest's `{ rawBody: true }`) when
 * there is one; else it is `BodyAlreadyReadError`, never a request left waiting for data that
 * will not come.
 */
export async function readBody(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  unshieldContentType(request);
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) throw new PayloadTooLargeError(limitBytes);
  if (request.readableEnded) {
    const raw = (request as IncomingMessage & { rawBody?: unknown }).rawBody;
    if (!Buffer.isBuffer(raw)) throw new BodyAlreadyReadError();
    if (raw.length > limitBytes) throw new PayloadTooLargeError(limitBytes);
    return raw;
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        cleanup();
        request.pause();
        reject(new PayloadTooLargeError(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    const onError = () => {
      cleanup();
      reject(new MalformedBodyError('the request body stream failed'));
    };
    const cleanup = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
  });
}
