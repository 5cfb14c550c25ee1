import {
  Body,
  Controller,
  Get,
  Headers,
  Param,
  Post,
  Query,
  Res,
  UseFilters,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '../http/openapi.decorators';
import type { Response } from 'express';
import { ExotelExceptionFilter } from '../http/exotel-exception.filter';
import { createExotelValidationPipe } from '../http/exotel-validation.pipe';
import { ManagementAuthGuard } from '../http/management-auth.guard';
import { CallInProgressError } from './call.errors';
import { CallsService } from './calls.service';
import { CreateCallDto } from './dto/create-call.dto';
import { ListCallsQuery } from './dto/list-calls.query';
import { CallListResponse, CallResponse, toCallResponse } from './dto/call.response';

/**
 * Calls (management API, Bearer key). `POST /calls` records the call, then sends Calls/connect
 * once: 201 with Exotel's outcome (`initiated`, `failed` or `unknown`), or 202 at once with
 * `wait: false`. Bad input is a 400 with a stable code, and nothing is recorded or sent. A request
 * repeating an `Idempotency-Key` gets 200 with the call the first one placed (header
 * `Idempotent-Replayed: true`), never a second call.
 */
@ApiTags('calls')
@ApiBearerAuth()
@Controller('calls')
@UseGuards(ManagementAuthGuard)
@UseFilters(ExotelExceptionFilter)
@UsePipes(createExotelValidationPipe())
export class CallsController {
  constructor(private readonly calls: CallsService) {}

  @Post()
  @ApiOperation({
    summary: 'Place a call (two numbers, a number to a flow, or a number to a Voice AI stream)',
  })
  @ApiCreatedResponse({
    type: CallResponse,
    description: 'Exotel answered (or did not): outcome initiated, failed or unknown',
  })
  @ApiAcceptedResponse({
    type: CallResponse,
    description: 'wait: false: recorded; the outcome follows as events',
  })
  @ApiOkResponse({
    type: CallResponse,
    description:
      'The Idempotency-Key placed this call before: that call (header Idempotent-Replayed: true), nothing sent',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Makes retries safe: 1-128 visible ASCII characters (a UUID). A repeat gets the first call, never a second one',
  })
  @ApiBadRequestResponse({
    description:
      'INVALID_PHONE_NUMBER, CALL_TARGET_MISSING, CALL_TARGET_CONFLICT, TIME_LIMIT_OUT_OF_RANGE, TIME_OUT_OUT_OF_RANGE, ' +
      'CUSTOM_FIELD_TOO_LONG, CALLER_ID_REQUIRED, NO_APPLET_CONFIGURED, INVALID_FLOW_URL, INVALID_STREAM_URL, ' +
      'INVALID_CALL_OPTION, INVALID_IDEMPOTENCY_KEY, PROMOTIONAL_CALL_OUTSIDE_HOURS, VALIDATION_FAILED',
  })
  @ApiConflictResponse({
    description:
      'CALL_IN_PROGRESS: another instance is still sending the call this Idempotency-Key placed (Retry-After: 1)',
  })
  @ApiUnprocessableEntityResponse({
    description: 'IDEMPOTENCY_KEY_REUSED: the key placed a different call before',
  })
  @ApiServiceUnavailableResponse({ description: 'NO_HEALTHY_CALLER_ID' })
  async create(
    @Body() body: CreateCallDto,
    @Res({ passthrough: true }) response: Response,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<CallResponse> {
    const { wait, ...input } = body;
    const { call, replayed } = await this.calls
      .place(input, { wait: wait ?? true, idempotencyKey })
      .catch((error: unknown) => {
        if (error instanceof CallInProgressError) response.setHeader('Retry-After', '1');
        throw error;
      });
    if (replayed) response.setHeader('Idempotent-Replayed', 'true');
    response.status(replayed ? 200 : wait === false ? 202 : 201);
    return toCallResponse(call);
  }

  @Get()
  @ApiOperation({ summary: 'Calls, newest first' })
  @ApiOkResponse({ type: CallListResponse })
  async list(@Query() query: ListCallsQuery): Promise<CallListResponse> {
    return { items: (await this.calls.list(query)).map(toCallResponse) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A call with its outcome, reconciliation, legs and recording' })
  @ApiOkResponse({ type: CallResponse })
  @ApiNotFoundResponse({ description: 'CALL_NOT_FOUND' })
  async get(@Param('id') id: string): Promise<CallResponse> {
    return toCallResponse(await this.calls.get(id));
  }
}
