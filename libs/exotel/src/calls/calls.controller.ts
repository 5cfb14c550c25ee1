import {
  Body,
  Controller,
  Get,
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
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ExotelExceptionFilter } from '../http/exotel-exception.filter';
import { createExotelValidationPipe } from '../http/exotel-validation.pipe';
import { ManagementAuthGuard } from '../http/management-auth.guard';
import { CallsService } from './calls.service';
import { CreateCallDto } from './dto/create-call.dto';
import { ListCallsQuery } from './dto/list-calls.query';
import { CallListResponse, CallResponse, toCallResponse } from './dto/call.response';

/**
 * Calls (management API, Bearer key). `POST /calls` records the call, then sends Calls/connect
 * once: 201 with Exotel's outcome (`initiated`, `failed` or `unknown`), or 202 at once with
 * `wait: false`. Bad input is a 400 with a stable code, and nothing is recorded or sent.
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
  @ApiBadRequestResponse({
    description:
      'INVALID_PHONE_NUMBER, CALL_TARGET_MISSING, CALL_TARGET_CONFLICT, TIME_LIMIT_OUT_OF_RANGE, TIME_OUT_OUT_OF_RANGE, ' +
      'CUSTOM_FIELD_TOO_LONG, CALLER_ID_REQUIRED, NO_APPLET_CONFIGURED, INVALID_FLOW_URL, INVALID_STREAM_URL, ' +
      'INVALID_CALL_OPTION, PROMOTIONAL_CALL_OUTSIDE_HOURS, VALIDATION_FAILED',
  })
  @ApiServiceUnavailableResponse({ description: 'NO_HEALTHY_CALLER_ID' })
  async create(
    @Body() body: CreateCallDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CallResponse> {
    const { wait, ...input } = body;
    const record = await this.calls.connect(input, { wait: wait ?? true });
    response.status(wait === false ? 202 : 201);
    return toCallResponse(record);
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
