import { Controller, Get, Logger, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
} from '../http/openapi.decorators';
import type { Request, Response } from 'express';
import { ExotelExceptionFilter } from '../http/exotel-exception.filter';
import { WebhookSecretGuard } from '../http/webhook-secret.guard';
import { logLine } from '../logging/log-line';
import { parsePassthruQuery, passthruProblem } from './passthru-answer';
import { PassthruDecision } from './passthru-decision';
import { VoiceCallRecords } from './voice-call-records';
import { PassthruInvalidError } from './voice.errors';

/**
 * Exotel's Passthru applet (`GET /exotel/answer`): every field of the request is recorded on the
 * call (created on first sight), including the `Stream[...]` report of a preceding Voicebot applet
 * in its bracketed or JSON form, and the flow continues by the answer's status: 200 for the first
 * choice, 302 for the second, as `PassthruDecision` decides.
 */
@ApiTags('exotel webhooks')
@ApiSecurity('webhook-key')
@Controller('exotel/answer')
@UseGuards(WebhookSecretGuard)
@UseFilters(ExotelExceptionFilter)
export class VoiceAnswerController {
  private readonly logger = new Logger(VoiceAnswerController.name);

  constructor(
    private readonly records: VoiceCallRecords,
    private readonly decision: PassthruDecision,
  ) {}

  @Get()
  @ApiOperation({
    summary: "Exotel's Passthru applet: records the call and picks the flow's branch (200 or 302)",
  })
  @ApiQuery({ name: 'CallSid', required: true })
  @ApiQuery({ name: 'CallFrom', required: false })
  @ApiQuery({ name: 'CallTo', required: false })
  @ApiQuery({ name: 'Direction', required: false })
  @ApiQuery({ name: 'digits', required: false, description: 'Gather digits, in double quotes' })
  @ApiQuery({ name: 'Stream[Status]', required: false, description: 'and the other Stream[...] fields' })
  @ApiOkResponse({ description: 'Continue with the first choice' })
  @ApiFoundResponse({ description: 'Continue with the second choice' })
  @ApiBadRequestResponse({
    description:
      'PASSTHRU_INVALID (no CallSid, or a field that cannot be stored: not of its shape, too long, NUL)',
  })
  @ApiUnauthorizedResponse({ description: 'WEBHOOK_UNAUTHORIZED' })
  async answer(@Req() request: Request, @Res() response: Response): Promise<void> {
    const search = new URL(request.originalUrl ?? request.url, 'http://localhost').searchParams;
    const answer = parsePassthruQuery(search);
    if (!answer) throw new PassthruInvalidError('CallSid is missing');
    const problem = passthruProblem(answer);
    if (problem) throw new PassthruInvalidError(problem);
    const branch = await this.decision.decide(answer);
    await this.records.recordPassthru(answer, branch);
    this.logger.log(
      logLine('Passthru answered', {
        callSid: answer.callSid,
        branch,
        streamStatus: answer.stream?.status ?? null,
      }),
    );
    if (branch === 'found') {
      // Exotel only reads the status; the Location is for humans reading logs.
      response.status(302).setHeader('Location', 'about:blank');
      response.end();
      return;
    }
    response.status(200).json({ branch });
  }
}
