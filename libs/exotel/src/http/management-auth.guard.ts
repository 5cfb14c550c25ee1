import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ManagementUnauthorizedError } from '../errors/http-request.errors';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { matchesAnySecret } from './secret-matcher';

/** Authenticates the management API with `Authorization: Bearer <key>` against `management.apiKeys`. */
@Injectable()
export class ManagementAuthGuard implements CanActivate {
  constructor(
    @InjectExotelOptions('management') private readonly management: ResolvedExotelOptions['management'],
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const header = http.getRequest<Request>().headers.authorization;
    const key = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (matchesAnySecret(key, this.management.apiKeys)) return true;
    http.getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer');
    throw new ManagementUnauthorizedError();
  }
}
