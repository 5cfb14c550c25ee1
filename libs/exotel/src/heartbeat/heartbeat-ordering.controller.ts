import { Controller, HttpCode, Post, UseFilters, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
  ApiUnauthorizedResponse,
} from '../http/openapi.decorators';
import { ExotelExceptionFilter } from '../http/exotel-exception.filter';
import { ManagementAuthGuard } from '../http/management-auth.guard';
import { HeartbeatOrderingService } from './heartbeat-ordering.service';

/** `POST /heartbeat/ordering/reset`: what the ordering compared with until then. */
export class HeartbeatOrderingResetResponse {
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastAppliedTimestamp!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastAppliedReceivedAt!: string | null;
}

/** The heartbeat's ordering state, for operators (management API, Bearer key). */
@ApiTags('heartbeat')
@ApiBearerAuth()
@Controller('heartbeat/ordering')
@UseGuards(ManagementAuthGuard)
@UseFilters(ExotelExceptionFilter)
export class HeartbeatOrderingController {
  constructor(private readonly ordering: HeartbeatOrderingService) {}

  @Post('reset')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Forget the last applied heartbeat: the next one applies whatever its timestamp',
  })
  @ApiOkResponse({ type: HeartbeatOrderingResetResponse })
  @ApiUnauthorizedResponse({ description: 'UNAUTHORIZED' })
  reset(): Promise<HeartbeatOrderingResetResponse> {
    return this.ordering.reset();
  }
}
