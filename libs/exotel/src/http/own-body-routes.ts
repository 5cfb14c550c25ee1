import type { IncomingMessage } from 'node:http';
import type { MountedController } from '../options/mounted-controller';

/** Where the content type of a shielded request waits until its route reads the body. */
const SHIELDED_CONTENT_TYPE = Symbol('nestjs-exotel.shieldedContentType');

type ShieldedRequest = IncomingMessage & { [SHIELDED_CONTENT_TYPE]?: string };

/**
 * The paths of mounted routes that read their own body (the heartbeat webhook accepts 10 MB and
 * authenticates before reading): lower case, with a leading slash, without a trailing one.
 */
export function ownBodyPaths(mounted: readonly MountedController[]): string[] {
  return mounted.filter((c) => c.readsOwnBody).map((c) => `/${c.path.toLowerCase()}`);
}

/**
 * True when `path` (a request path, query excluded) is one of `own`, matched as Express matches
 * routes: any casing, a trailing slash allowed, and under any global prefix the host set.
 */
export function isOwnBodyPath(path: string, own: readonly string[]): boolean {
  const normalised = path.toLowerCase().replace(/\/+$/, '');
  return own.some((route) => normalised === route || normalised.endsWith(route));
}

/**
 * Hides the `Content-Type` of a request from the body parsers that run after this (Nest's default
 * JSON and urlencoded parsers, `rawBody` capture, a host's own `express.json()`): every
 * content-type-based parser then leaves the body unread for the route, which restores the header
 * with {@link unshieldContentType} when it reads the body itself.
 */
export function shieldContentType(request: IncomingMessage): void {
  const shielded = request as ShieldedRequest;
  const type = request.headers['content-type'];
  if (type === undefined || shielded[SHIELDED_CONTENT_TYPE] !== undefined) return;
  shielded[SHIELDED_CONTENT_TYPE] = type;
  delete request.headers['content-type'];
}

/** Puts back the `Content-Type` that {@link shieldContentType} hid, if any. */
export function unshieldContentType(request: IncomingMessage): void {
  const shielded = request as ShieldedRequest;
  const type = shielded[SHIELDED_CONTENT_TYPE];
  if (type === undefined) return;
  request.headers['content-type'] = type;
  delete shielded[SHIELDED_CONTENT_TYPE];
}
