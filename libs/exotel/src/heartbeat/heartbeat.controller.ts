import { Controller, HttpCode, Logger, Post, Req, UseFilters, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
} from '../http/openapi.decorators';
import type { Request } from 'express';
import { MalformedBodyError } from '../errors/http-request.errors';
import { ExotelExceptionFilter } from '../http/exotel-exception.filter';
import { WebhookSecretGuard } from '../http/webhook-secret.guard';
import { logLine } from '../logging/log-line';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { HeartbeatIngestion } from './heartbeat-ingestion.service';
import { parseHeartbeat } from './heartbeat-payload';
import { readBody } from '../http/read-body';

/**
 * Exotel's heartbeat webhook. The secret is checked by the guard before a byte of the body is read
 * (401); the body, up to `heartbeat.maxBodyBytes` (413 beyond), is read here rather than by the
 * shared parsers, checked field by field (400 `VALIDATION_FAILED` naming the fields; a timestamp too
 * far from our clock, 400 `HEARTBEAT_TIMESTAMP_SKEWED`), recorded durably, and answered with 200.
 * Applying it to ExoPhone health happens afterwards, so Exotel never waits on it.
 */
@ApiTags('exotel webhooks')
@ApiSecurity('webhook-key')
@Controller('exotel/heartbeat')
@UseGuards(WebhookSecretGuard)
@UseFilters(ExotelExceptionFilter)
export class HeartbeatController {
  private readonly logger = new Logger(HeartbeatController.name);

  constructor(
    @InjectExotelOptions('heartbeat') private readonly heartbeat: ResolvedExotelOptions['heartbeat'],
    private readonly ingestion: HeartbeatIngestion,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: "Exotel's heartbeat: the health of the account's ExoPhones (JSON, up to 10 MB)" })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['timestamp', 'status_type'],
      properties: {
        timestamp: { type: 'string', format: 'date-time' },
        status_type: { type: 'string', enum: ['OK', 'WARNING', 'CRITICAL', 'PAYLOAD_TOO_LARGE'] },
        incoming_affected: { type: 'array', items: { type: 'string' }, nullable: true },
        outgoing_affected: { type: 'array', items: { type: 'string' }, nullable: true },
        data: { type: 'object', additionalProperties: { type: 'object' } },
      },
    },
  })
  @ApiOkResponse({ description: 'Recorded (or a repeat of one already recorded)' })
  @ApiBadRequestResponse({ description: 'MALFORMED_BODY, VALIDATION_FAILED, HEARTBEAT_TIMESTAMP_SKEWED' })
  @ApiUnauthorizedResponse({ description: 'WEBHOOK_UNAUTHORIZED' })
  @ApiPayloadTooLargeResponse({ description: 'PAYLOAD_TOO_LARGE' })
  async receive(@Req() request: Request): Promise<{ received: true; duplicate: boolean }> {
    const body = (await readBody(request, this.heartbeat.maxBodyBytes)).toString('utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new MalformedBodyError('invalid JSON');
    }
    const payload = parseHeartbeat(parsed, this.heartbeat.maxClockSkewMs);
    const receipt = await this.ingestion.record(payload, body);
    if (!receipt.duplicate) {
      // Start applying once the acknowledgement has been written: with SQLite the apply runs on
      // this thread, and Exotel waits only for the 200.
      setImmediate(() => this.applyInBackground());
    }
    return { received: true, duplicate: receipt.duplicate };
  }

  private applyInBackground(): void {
    this.ingestion
      .applyPending()
      .catch((error: unknown) =>
        this.logger.error(logLine('Applying heartbeats failed; the apply job retries', { err: error })),
      );
  }
}
