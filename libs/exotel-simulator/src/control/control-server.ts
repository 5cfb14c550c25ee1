import type { IncomingMessage, ServerResponse } from 'node:http';
import { readRawBody } from '../http/read-body';
import { writeReply } from '../http/reply';

/** A bad control request: answered with `status` (400 by default) and `{ error }`. */
export class ControlInputError extends Error {
  override readonly name = 'ControlInputError';

  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** A control API endpoint: JSON in, JSON out (`204` when the handler returns undefined). */
export interface ControlRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly pattern: RegExp;
  handle(params: Record<string, string>, body: Record<string, unknown>, query: URLSearchParams): unknown;
}

/** Serves one `/_sim/...` request. The control API has no auth: it is a test tool on loopback. */
export async function handleControlRequest(
  routes: readonly ControlRoute[],
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://simulator');
  const method = request.method ?? 'GET';
  const raw = await readRawBody(request, 1024 * 1024);
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(url.pathname);
    if (!match) continue;
    try {
      const body = parseJson(raw);
      const params = Object.fromEntries(
        Object.entries(match.groups ?? {}).map(([key, value]) => [key, decodeURIComponent(value ?? '')]),
      );
      const result = await route.handle(params, body, url.searchParams);
      if (result === undefined) {
        response.writeHead(204).end();
        return;
      }
      writeReply(response, { status: 200, body: result });
    } catch (error) {
      if (!(error instanceof ControlInputError)) throw error;
      writeReply(response, { status: error.status, body: { error: error.message } });
    }
    return;
  }
  writeReply(response, { status: 404, body: { error: `No control endpoint ${method} ${url.pathname}` } });
}

function parseJson(raw: Buffer): Record<string, unknown> {
  if (raw.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ControlInputError('The body is not valid JSON');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new ControlInputError('The body must be a JSON object');
  }
  return value as Record<string, unknown>;
}
