import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { WebhookUnauthorizedError } from '../errors/http-request.errors';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { matchesAnySecret } from './secret-matcher';

/**
 * Authenticates Exotel's webhooks. Exotel signs nothing, so the secret travels in the URL we give
 * Exotel: as `?key=<secret>` or as the HTTP Basic password (`https://exotel:<secret>@host/...`).
 * Guards run before the handler reads the body, so a request without the secret is refused before
 * any of its body is parsed.
 */
@Injectable()
export class WebhookSecretGuard implements CanActivate {
  constructor(
    @InjectExotelOptions('webhooks') private readonly webhooks: ResolvedExotelOptions['webhooks'],
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    if (matchesAnySecret(keyFromQuery(request), this.webhooks.secrets)) return true;
    if (matchesAnySecret(basicPassword(request.headers.authorization), this.webhooks.secrets)) return true;
    throw new WebhookUnauthorizedError();
  }
}

function keyFromQuery(request: Request): string | undefined {
  const raw = new URL(request.originalUrl ?? request.url, 'http://localhost').searchParams.get('key');
  return raw ?? undefined;
}

/** The password of an HTTP Basic `Authorization` header, if it is one. */
export function basicPassword(header: string | undefined): string | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}
