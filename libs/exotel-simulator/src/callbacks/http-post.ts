import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** The outcome of one POST: a status code, or the error that prevented one. */
export interface PostResult {
  readonly status?: number;
  readonly error?: string;
}

/**
 * POSTs webhooks the way Exotel does: one request, a deadline for the whole answer, the answer's
 * body read and dropped. Userinfo in the URL becomes a Basic `Authorization` header (Node's own
 * handling), which is what Exotel does for WebSocket URLs; whether it does for callbacks is unknown.
 */
export class HttpPoster {
  private readonly agents = {
    http: new HttpAgent({ keepAlive: true, maxSockets: 64 }),
    https: new HttpsAgent({ keepAlive: true, maxSockets: 64 }),
  };

  post(
    url: string,
    body: string | Buffer,
    headers: Record<string, string>,
    timeoutMs: number,
    signal: AbortSignal,
  ): Promise<PostResult> {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return Promise.resolve({ error: 'invalid URL' });
    }
    const secure = target.protocol === 'https:';
    const send = secure ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      const request = send(target, {
        method: 'POST',
        agent: secure ? this.agents.https : this.agents.http,
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        signal,
      });
      const timer = setTimeout(() => {
        request.destroy();
        done({ error: `timed out after ${timeoutMs} ms` });
      }, timeoutMs);
      timer.unref();
      let settled = false;
      const done = (result: PostResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      request.on('response', (response) => {
        response.resume();
        response.on('end', () => done({ status: response.statusCode }));
        response.on('error', () => done({ status: response.statusCode }));
      });
      request.on('error', (error: NodeJS.ErrnoException) => done({ error: error.code ?? error.message }));
      request.end(body);
    });
  }

  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }
}
