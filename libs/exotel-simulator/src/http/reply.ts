import type { ServerResponse } from 'node:http';
import { toXml } from './xml';

/** What a route answers. `format: 'xml'` serves v1 paths called without `.json`. */
export interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** `json` (default), `xml` (v1 without `.json`) or `raw` (a string body sent as is, e.g. a proxy's HTML). */
  readonly format?: 'json' | 'xml' | 'raw';
  /** Content type for `raw` bodies. */
  readonly contentType?: string;
}

/** Exotel's v1 error body: `{"RestException":{"Status":…,"Message":…,"Code"?:…}}`. */
export function restException(
  status: number,
  message: string,
  code?: number | string,
  headers?: Record<string, string>,
): Reply {
  const body = {
    RestException:
      code === undefined
        ? { Status: status, Message: message }
        : { Status: status, Message: message, Code: code },
  };
  return { status, body, headers };
}

/**
 * Exotel's v2 error envelope (`response` is an object in errors, an array in successes):
 * `{"request_id","method","http_code","response":{"code","error_data":{code,message,description},"status":"failure","data":null}}`.
 */
export function v2Error(
  status: number,
  requestId: string,
  method: string,
  error: { code: number | string; message: string; description?: string },
  headers?: Record<string, string>,
): Reply {
  return {
    status,
    headers,
    body: {
      request_id: requestId,
      method,
      http_code: status,
      response: {
        code: status,
        error_data: {
          code: error.code,
          message: error.message,
          description: error.description ?? error.message,
        },
        status: 'failure',
        data: null,
      },
    },
  };
}

/** Writes a reply with an exact Content-Length (keep-alive friendly). */
export function writeReply(response: ServerResponse, reply: Reply): void {
  if (response.destroyed || response.headersSent) return;
  let text: string;
  let type: string;
  if (reply.format === 'raw') {
    text = String(reply.body);
    type = reply.contentType ?? 'text/plain; charset=utf-8';
  } else if (reply.format === 'xml') {
    text = toXml(reply.body);
    type = 'application/xml; charset=utf-8';
  } else {
    text = JSON.stringify(reply.body);
    type = 'application/json; charset=utf-8';
  }
  response.writeHead(reply.status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(text),
    ...reply.headers,
  });
  response.end(text);
}
