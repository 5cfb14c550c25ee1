import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { ConsoleSessionRequiredError, ConsoleTokenRefusedError } from './console.errors';
import { CONSOLE_COOKIE, ConsoleSessions, tokenMatches } from './console-sessions';

/** Header that carries the session's anti-forgery token on console actions. */
const CONSOLE_TOKEN_HEADER = 'x-console-token';

/**
 * Lets console API requests through with a valid session cookie; actions (anything but GET) must
 * also carry the session's anti-forgery token in `X-Console-Token`. The cookie is SameSite=Strict
 * already; the token also stops a same-site page (another app on a sibling subdomain) from acting.
 */
@Injectable()
export class ConsoleSessionGuard implements CanActivate {
  constructor(private readonly sessions: ConsoleSessions) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const session = this.sessions.verify(readCookie(request, CONSOLE_COOKIE));
    if (!session) throw new ConsoleSessionRequiredError();
    if (request.method === 'GET' || request.method === 'HEAD') return true;
    if (!tokenMatches(session, request.header(CONSOLE_TOKEN_HEADER))) throw new ConsoleTokenRefusedError();
    return true;
  }
}

/** A cookie of the request (without a cookie parser: the host may have none). */
export function readCookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim());
  }
  return undefined;
}
