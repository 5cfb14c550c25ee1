import { Body, Controller, Get, Post, Query, UseFilters, UseGuards, UsePipes } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '../http/openapi.decorators';
import { ExotelExceptionFilter } from '../http/exotel-exception.filter';
import { createExotelValidationPipe } from '../http/exotel-validation.pipe';
import { ManagementAuthGuard } from '../http/management-auth.guard';
import {
  CreateMaintenanceWindowDto,
  ListMaintenanceWindowsQuery,
  MaintenanceWindowListResponse,
  MaintenanceWindowResponse,
} from './dto/maintenance-window.dto';
import { MaintenanceWindowsService } from './maintenance-windows.service';

/**
 * Declared maintenance windows (management API, Bearer key): signals inside one open planned
 * incidents. 400 `VALIDATION_FAILED` (e.g. endsAt not after startsAt), 422 `UNKNOWN_SCOPE`.
 */
@ApiTags('maintenance-windows')
@ApiBearerAuth()
@Controller('maintenance-windows')
@UseGuards(ManagementAuthGuard)
@UseFilters(ExotelExceptionFilter)
@UsePipes(createExotelValidationPipe())
export class MaintenanceWindowsController {
  constructor(private readonly windows: MaintenanceWindowsService) {}

  @Post()
  @ApiOperation({ summary: 'Declare a maintenance window (publishes maintenance.scheduled)' })
  @ApiCreatedResponse({ type: MaintenanceWindowResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: endsAt not after startsAt, or over already' })
  @ApiUnprocessableEntityResponse({ description: 'UNKNOWN_SCOPE' })
  async create(@Body() body: CreateMaintenanceWindowDto): Promise<MaintenanceWindowResponse> {
    return this.windows.schedule({
      scope: body.scope,
      startsAt: new Date(body.startsAt),
      endsAt: new Date(body.endsAt),
      source: body.source,
      description: body.description,
    });
  }

  @Get()
  @ApiOperation({ summary: 'Maintenance windows, latest start first' })
  @ApiOkResponse({ type: MaintenanceWindowListResponse })
  async list(@Query() query: ListMaintenanceWindowsQuery): Promise<MaintenanceWindowListResponse> {
    return { items: await this.windows.list(query) };
  }
}
