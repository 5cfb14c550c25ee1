import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  UseFilters,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '../http/openapi.decorators';
import { ExotelExceptionFilter } from '../http/exotel-exception.filter';
import { createExotelValidationPipe } from '../http/exotel-validation.pipe';
import { ManagementAuthGuard } from '../http/management-auth.guard';
import { ExoPhoneDetailResponse, ExoPhoneListResponse, InventorySyncResponse } from './dto/exophone.response';
import { ListExoPhonesQuery } from './dto/list-exophones.query';
import { MarkCustomerFacingDto } from './dto/mark-customer-facing.dto';
import { ExoPhoneHealthService } from './exophone-health.service';
import { ExoPhoneInventory } from './exophone-inventory';

/** The account's ExoPhones and their health (management API, Bearer key). */
@ApiTags('exophones')
@ApiBearerAuth()
@Controller('exophones')
@UseGuards(ManagementAuthGuard)
@UseFilters(ExotelExceptionFilter)
@UsePipes(createExotelValidationPipe())
export class ExoPhonesController {
  constructor(
    private readonly health: ExoPhoneHealthService,
    private readonly inventory: ExoPhoneInventory,
  ) {}

  @Get()
  @ApiOperation({ summary: 'ExoPhones with the health of each direction, filterable by state' })
  @ApiOkResponse({ type: ExoPhoneListResponse })
  list(@Query() query: ListExoPhonesQuery): Promise<ExoPhoneListResponse> {
    return this.health.list(query) as Promise<ExoPhoneListResponse>;
  }

  @Get(':sid')
  @ApiOperation({ summary: 'One ExoPhone with its latest health changes' })
  @ApiOkResponse({ type: ExoPhoneDetailResponse })
  @ApiNotFoundResponse({ description: 'NOT_FOUND' })
  get(@Param('sid') sid: string): Promise<ExoPhoneDetailResponse> {
    return this.health.get(sid) as Promise<ExoPhoneDetailResponse>;
  }

  @Put(':sid/customer-facing')
  @ApiOperation({
    summary: 'Mark an ExoPhone customer-facing or not (survives inventory syncs), or clear the mark (null)',
  })
  @ApiOkResponse({ type: ExoPhoneDetailResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  @ApiNotFoundResponse({ description: 'EXOPHONE_NOT_FOUND' })
  markCustomerFacing(
    @Param('sid') sid: string,
    @Body() body: MarkCustomerFacingDto,
  ): Promise<ExoPhoneDetailResponse> {
    return this.health.markCustomerFacing(sid, body.customerFacing) as Promise<ExoPhoneDetailResponse>;
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: "Sync the inventory from Exotel's ExoPhone list now" })
  @ApiOkResponse({ type: InventorySyncResponse })
  refresh(): Promise<InventorySyncResponse> {
    return this.inventory.sync();
  }
}
