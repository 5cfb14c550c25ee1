import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  UseFilters,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import { ExotelExceptionFilter } from '../http/exotel-exception.filter';
import { createExotelValidationPipe } from '../http/exotel-validation.pipe';
import { ManagementAuthGuard } from '../http/management-auth.guard';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '../http/openapi.decorators';
import { CallBatchInvalidError, type CallBatchRowProblem } from './call.errors';
import { CallsService } from './calls.service';
import { CallBatchResponse, toCallBatchResponse } from './dto/call-batch.response';
import { CreateCallBatchDto } from './dto/create-call-batch.dto';

/**
 * Call batches (management API, Bearer key): up to 10,000 calls queued at once, all or nothing,
 * and placed by the dispatchers of every replica within the shared budget (`CallsService.enqueueBatch`).
 */
@ApiTags('calls')
@ApiBearerAuth()
@Controller('calls/batches')
@UseGuards(ManagementAuthGuard)
@UseFilters(ExotelExceptionFilter)
@UsePipes(createExotelValidationPipe())
export class CallBatchesController {
  constructor(private readonly calls: CallsService) {}

  @Post()
  @ApiOperation({ summary: 'Queue a batch of calls (all or nothing)' })
  @ApiCreatedResponse({ type: CallBatchResponse })
  @ApiBadRequestResponse({
    description:
      'CALL_BATCH_INVALID (details.rows lists every bad call: index, field, code), VALIDATION_FAILED',
  })
  async create(@Body() body: CreateCallBatchDto): Promise<CallBatchResponse> {
    // The batch says when and why; a row that says it too is refused rather than silently overridden.
    const rows: CallBatchRowProblem[] = [];
    body.calls.forEach((call, index) => {
      for (const field of ['wait', 'purpose'] as const)
        if (call[field] !== undefined)
          rows.push({
            index,
            field,
            code: 'VALIDATION_FAILED',
            message: `${field} is set by the batch, not its calls`,
          });
    });
    if (rows.length > 0) throw new CallBatchInvalidError(rows);
    const view = await this.calls.enqueueBatch({
      calls: body.calls,
      purpose: body.purpose,
      notBefore: body.notBefore === undefined ? undefined : new Date(body.notBefore),
      name: body.name,
    });
    return toCallBatchResponse(view);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A batch: calls by state, progress, ETA at the current budget' })
  @ApiOkResponse({ type: CallBatchResponse })
  @ApiNotFoundResponse({ description: 'CALL_BATCH_NOT_FOUND' })
  async get(@Param('id') id: string): Promise<CallBatchResponse> {
    return toCallBatchResponse(await this.calls.batch(id));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel the calls of a batch still queued' })
  @ApiOkResponse({ type: CallBatchResponse })
  @ApiNotFoundResponse({ description: 'CALL_BATCH_NOT_FOUND' })
  async cancel(@Param('id') id: string): Promise<CallBatchResponse> {
    return toCallBatchResponse(await this.calls.cancelBatch(id));
  }
}
