import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { FormFields } from './form-fields';

/** The request body was larger than the simulator accepts. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

/** The request body could not be read as its content type says. */
class MalformedBodyError extends Error {
  override readonly name = 'MalformedBodyError';
}

/** Reads the whole body, failing with `BodyTooLargeError` past `limit` bytes. */
export function readRawBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLargeError(`The body is larger than ${limit} bytes`));
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/**
 * Reads a v1 form body: `application/x-www-form-urlencoded` or `multipart/form-data` (both are
 * documented for Calls/connect). Any other or missing content type is read as urlencoded, which is
 * what Exotel's own examples send.
 */
export async function readFormBody(request: IncomingMessage, raw: Buffer): Promise<FormFields> {
  const type = request.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('multipart/form-data')) {
    return FormFields.fromUrlEncoded(raw.toString('utf8'));
  }
  return new Promise((resolve, reject) => {
    const fields = new FormFields();
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: request.headers, limits: { fieldSize: raw.length + 1 } });
    } catch (error) {
      reject(new MalformedBodyError(error instanceof Error ? error.message : 'unreadable multipart body'));
      return;
    }
    parser.on('field', (name, value) => fields.add(name, value));
    // Files are not part of any v1 voice request; drain them so parsing completes.
    parser.on('file', (_name, stream) => stream.resume());
    parser.on('close', () => resolve(fields));
    parser.on('error', (error: unknown) =>
      reject(new MalformedBodyError(error instanceof Error ? error.message : 'unreadable multipart body')),
    );
    Readable.from([raw]).pipe(parser);
  });
}
