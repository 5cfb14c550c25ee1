import { Injectable } from '@nestjs/common';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ExotelClock } from '../jobs/exotel-clock';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';

/** Name of the console's session cookie. */
export const CONSOLE_COOKIE = 'exotel_console';

/** How long a console session lasts after sign-in. */
export const CONSOLE_SESSION_MS = 12 * 3_600_000;

const VERSION = 'c1';

/** A signed-in console session. */
export interface ConsoleSession {
  /** The anti-forgery token the page sends back with each action (`X-Console-Token`). */
  readonly token: string;
  readonly expiresAt: Date;
}

/**
 * Console sessions, signed rather than stored: the cookie carries its expiry and a random nonce,
 * with an HMAC keyed by one of the management API keys. Every replica holding the same keys can
 * check it (no session table, no sticky load balancing), the key itself never leaves the server,
 * and removing a key from `management.apiKeys` ends the sessions it opened. The anti-forgery token
 * is derived from the same secret and nonce, so it too is checked without storage.
 */
@Injectable()
export class ConsoleSessions {
  constructor(
    @InjectExotelOptions('management') private readonly management: ResolvedExotelOptions['management'],
    private readonly clock: ExotelClock,
  ) {}

  /** A new session's cookie value for `key`, or undefined when `key` is not a management key. */
  open(key: string): { cookie: string; session: ConsoleSession } | undefined {
    let secret: string | undefined;
    for (const candidate of this.management.apiKeys)
      if (sameText(candidate, key) && !secret) secret = candidate;
    if (secret === undefined || key.length === 0) return undefined;
    const expiresAt = new Date(this.clock.now().getTime() + CONSOLE_SESSION_MS);
    const body = `${VERSION}.${expiresAt.getTime().toString(36)}.${randomBytes(18).toString('base64url')}`;
    const signing = signingKey(secret);
    return {
      cookie: `${body}.${mac(signing, body)}`,
      session: { token: mac(signing, `token.${body}`), expiresAt },
    };
  }

  /** The session a cookie value stands for; undefined when forged, expired or its key was removed. */
  verify(cookie: string | undefined): ConsoleSession | undefined {
    const parts = cookie?.split('.') ?? [];
    if (parts.length !== 4 || parts[0] !== VERSION) return undefined;
    const expiresAt = new Date(parseInt(parts[1], 36));
    if (!(expiresAt.getTime() > this.clock.now().getTime())) return undefined;
    const body = parts.slice(0, 3).join('.');
    let found: ConsoleSession | undefined;
    // Every key is tried (no early exit), each comparison in constant time.
    for (const secret of this.management.apiKeys) {
      const signing = signingKey(secret);
      if (sameText(mac(signing, body), parts[3]) && !found)
        found = { token: mac(signing, `token.${body}`), expiresAt };
    }
    return found;
  }
}

/** Whether `presented` is the session's anti-forgery token (constant time). */
export function tokenMatches(session: ConsoleSession, presented: string | undefined): boolean {
  return presented !== undefined && sameText(session.token, presented);
}

// The key is never the MAC key itself: a derived key, so a leaked cookie says nothing about it.
function signingKey(apiKey: string): Buffer {
  return createHmac('sha256', apiKey).update('nestjs-exotel console session').digest();
}

function mac(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text).digest('base64url');
}

function sameText(a: string, b: string): boolean {
  const left = createHmac('sha256', 'compare').update(a).digest();
  const right = createHmac('sha256', 'compare').update(b).digest();
  return timingSafeEqual(left, right);
}
