import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { matchesAnySecret } from '../http/secret-matcher';
import { basicPassword } from '../http/webhook-secret.guard';

/** What to do with an HTTP upgrade request: not the stream route, refused, or a stream. */
export type StreamUpgradeVerdict = 'other_route' | 'unauthorised' | 'stream';

/**
 * Whether an upgrade request is a stream for the gateway at `path`, with a webhook secret: the
 * `?key=` parameter, or the Basic password Exotel sends for `wss://user:secret@host/...` URLs.
 */
export function streamUpgradeVerdict(
  request: IncomingMessage,
  path: string,
  secrets: readonly string[],
): StreamUpgradeVerdict {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname.replace(/\/+$/, '') !== path) return 'other_route';
  const authorised =
    matchesAnySecret(url.searchParams.get('key') ?? undefined, secrets) ||
    matchesAnySecret(basicPassword(request.headers.authorization), secrets);
  return authorised ? 'stream' : 'unauthorised';
}

/** Answers an upgrade request with a bare HTTP status, before any WebSocket exists. */
export function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
