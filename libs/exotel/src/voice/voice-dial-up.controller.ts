import { Controller, Get, Headers, HttpCode, Logger, Query, UseFilters, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
} from '../http/openapi.decorators';
import { z } from 'zod';
import { ExotelExceptionFilter } from '../http/exotel-exception.filter';
import { WebhookSecretGuard } from '../http/webhook-secret.guard';
import { logLine } from '../logging/log-line';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { exotelSid, formField, parseAtEdge } from '../http/edge-schemas';
import { VoiceCallRecords } from './voice-call-records';

/** The dial-up query: a CallSid of Exotel's shape, or none (answered with no numbers). */
const dialUpQuery = z.object({ CallSid: formField(exotelSid) });

/** The Programmable Connect response (Exotel-Version 1.0). */
export interface DialUpResponse {
  fetch_after_attempt: false;
  destination: { numbers: string[] };
  outgoing_phone_number?: string;
  record: boolean;
  recording_channels: 'single' | 'dual';
  max_ringing_duration: number;
  max_conversation_duration: number;
  music_on_hold: { type: string };
  start_call_playback?: { playback_to: 'both'; type: 'text'; value: string };
}

/**
 * The Connect applet's dynamic URL (`GET /exotel/dial-up`, header `Exotel-Version: 1.0`): the
 * number the agent transferred the call to, from the database so any replica answers, or
 * `numbers: []` (Exotel's "not connected" branch) when there is none.
 */
@ApiTags('exotel webhooks')
@ApiSecurity('webhook-key')
@Controller('exotel/dial-up')
@UseGuards(WebhookSecretGuard)
@UseFilters(ExotelExceptionFilter)
export class VoiceDialUpController {
  private readonly logger = new Logger(VoiceDialUpController.name);

  constructor(
    @InjectExotelOptions('voice') private readonly voice: ResolvedExotelOptions['voice'],
    private readonly records: VoiceCallRecords,
  ) {}

  @Get()
  @HttpCode(200)
  @ApiOperation({ summary: "Exotel's Connect applet (dynamic URL): whom to connect a transferred caller to" })
  @ApiQuery({ name: 'CallSid', required: false })
  @ApiOkResponse({
    description: 'Programmable Connect response; numbers is empty when no transfer is pending',
  })
  @ApiBadRequestResponse({ description: "VALIDATION_FAILED (a CallSid not of Exotel's shape)" })
  @ApiUnauthorizedResponse({ description: 'WEBHOOK_UNAUTHORIZED' })
  async dialUp(
    @Query('CallSid') callSid: unknown,
    @Headers('exotel-version') version: string | undefined,
  ): Promise<DialUpResponse> {
    if (version !== undefined && version !== '1.0')
      this.logger.warn(
        logLine('Connect applet sent an Exotel-Version this service does not know; answering 1.0', {
          version,
        }),
      );
    const sid = parseAtEdge(dialUpQuery, { CallSid: callSid }).CallSid ?? '';
    const numbers = sid === '' ? [] : await this.records.dialUpNumbers(sid);
    this.logger.log(logLine('Dial-up answered', { callSid: sid || null, transfer: numbers.length > 0 }));
    const transfer = this.voice.transfer;
    return {
      fetch_after_attempt: false,
      destination: { numbers },
      ...(transfer.outgoingPhoneNumber ? { outgoing_phone_number: transfer.outgoingPhoneNumber } : {}),
      record: transfer.record,
      recording_channels: transfer.recordingChannels,
      max_ringing_duration: transfer.maxRingingDurationSeconds,
      max_conversation_duration: transfer.maxConversationDurationSeconds,
      music_on_hold: { type: transfer.musicOnHold },
      ...(transfer.announcement
        ? {
            start_call_playback: {
              playback_to: 'both' as const,
              type: 'text' as const,
              value: transfer.announcement,
            },
          }
        : {}),
    };
  }
}
