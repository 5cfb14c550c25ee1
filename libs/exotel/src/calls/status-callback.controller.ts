import { Controller, HttpCode, Post, Req, UseFilters, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
} from '../http/openapi.decorators';
import type { Request } from 'express';
import { readBody } from '../http/read-body';
import { ExotelExceptionFilter } from '../http/exotel-exception.filter';
import { WebhookSecretGuard } from '../http/webhook-secret.guard';
import { CallCallbacks } from './call-callbacks.service';
import { parseStatusCallbackBody } from './status-callback-body';
import { readStatusCallback } from './status-callback-payload';

/** Largest status callback body read; Exotel's are a few hundred bytes. */
const MAX_CALLBACK_BYTES = 64 * 1024;

/**
 * Exotel's Calls/connect status callbacks. The secret is checked before the body is read (401);
 * the body is read here in whichever encoding Exotel chose (JSON, urlencoded, or multipart with
 * `Legs[i][Field]` flattening), applied once per CallSid and event, and answered 200 (also for
 * duplicates, so Exotel stops retrying). 400 names the field that could not be read.
 */
@ApiTags('exotel webhooks')
@ApiSecurity('webhook-key')
@Controller('exotel/callback/status')
@UseGuards(WebhookSecretGuard)
@UseFilters(ExotelExceptionFilter)
export class StatusCallbackController {
  constructor(private readonly callbacks: CallCallbacks) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Calls/connect status callback (answered, terminal)' })
  @ApiConsumes('multipart/form-data', 'application/x-www-form-urlencoded', 'application/json')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['CallSid', 'Status'],
      properties: {
        CallSid: { type: 'string' },
        EventType: { type: 'string', enum: ['answered', 'terminal'] },
        Status: { type: 'string', example: 'completed' },
        CustomField: { type: 'string' },
        RecordingUrl: { type: 'string' },
        ConversationDuration: { type: 'integer' },
        'Legs[0][Status]': {
          type: 'string',
          description: 'Form encodings flatten Legs; JSON sends an array',
        },
      },
    },
  })
  @ApiOkResponse({ description: 'Applied, or a repeat of one already applied' })
  @ApiUnauthorizedResponse({ description: 'WEBHOOK_UNAUTHORIZED' })
  @ApiBadRequestResponse({ description: 'MALFORMED_BODY, VALIDATION_FAILED' })
  async receive(@Req() request: Request): Promise<{ received: true; duplicate: boolean; callId: string }> {
    const raw = await readBody(request, MAX_CALLBACK_BYTES);
    const callback = readStatusCallback(await parseStatusCallbackBody(request.headers, raw));
    const receipt = await this.callbacks.apply(callback);
    return { received: true, duplicate: receipt.duplicate, callId: receipt.callId };
  }
}
