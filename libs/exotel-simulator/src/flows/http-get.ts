import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** The outcome of one applet GET. */
export interface GetResult {
  readonly status?: number;
  readonly body?: string;
  readonly error?: string;
}

/**
 * GETs `url` with `query` added to its own (which may hold the webhook secret) the way Exotel's
 * applets do: no redirects followed (a Passthru reads 302 as its second branch), a deadline for the
 * whole answer, userinfo sent as Basic auth.
 */
export function appletGet(
  url: string,
  query: Readonly<Record<string, string>>,
  headers: Readonly<Record<string, string>>,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<GetResult> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.resolve({ error: 'invalid URL' });
  }
  for (const [key, value] of Object.entries(query)) target.searchParams.append(key, value);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const done = (result: GetResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const request = send(target, { method: 'GET', headers: { ...headers }, signal });
    const timer = setTimeout(() => {
      request.destroy();
      done({ error: `timed out after ${timeoutMs} ms` });
    }, timeoutMs);
    timer.unref();
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        done({ status: response.statusCode, body: Buffer.concat(chunks).toString('utf8') }),
      );
      response.on('error', () => done({ status: response.statusCode }));
    });
    request.on('error', (error: NodeJS.ErrnoException) => done({ error: error.code ?? error.message }));
    request.end();
  });
}
