import busboy from 'busboy';
import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import { MalformedBodyError } from '../errors/http-request.errors';

/** Most fields a form callback may carry (Exotel sends about twenty, plus a few per leg). */
const MAX_FIELDS = 300;

/**
 * Reads a status callback body in any of the three encodings Exotel uses: JSON (with
 * `StatusCallbackContentType=application/json`), `multipart/form-data` (Exotel's default) and
 * urlencoded. Form bodies come back flat, keys as sent (`Legs[0][Status]`); JSON as parsed.
 */
export async function parseStatusCallbackBody(
  headers: IncomingHttpHeaders,
  raw: Buffer,
): Promise<Record<string, unknown>> {
  const type = (headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('application/json') || (type === '' && raw.subarray(0, 1).toString() === '{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new MalformedBodyError('invalid JSON');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new MalformedBodyError('the JSON body is not an object');
    }
    return parsed as Record<string, unknown>;
  }
  if (type.startsWith('multipart/form-data')) return readMultipart(headers, raw);
  const fields: Record<string, string> = {};
  const params = new URLSearchParams(raw.toString('utf8'));
  let count = 0;
  for (const [key, value] of params) {
    if (++count > MAX_FIELDS) throw new MalformedBodyError(`more than ${MAX_FIELDS} fields`);
    fields[key] = value;
  }
  return fields;
}

function readMultipart(headers: IncomingHttpHeaders, raw: Buffer): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers, limits: { fields: MAX_FIELDS, fieldSize: raw.length + 1 } });
    } catch (error) {
      reject(new MalformedBodyError(error instanceof Error ? error.message : 'unreadable multipart body'));
      return;
    }
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('fieldsLimit', () => reject(new MalformedBodyError(`more than ${MAX_FIELDS} fields`)));
    // Callbacks carry no files; drain any so parsing completes.
    parser.on('file', (_name, stream) => stream.resume());
    parser.on('close', () => resolve(fields));
    parser.on('error', (error: unknown) =>
      reject(new MalformedBodyError(error instanceof Error ? error.message : 'unreadable multipart body')),
    );
    Readable.from([raw]).pipe(parser);
  });
}
