import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  UseFilters,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '../http/openapi.decorators';
import { ExotelExceptionFilter } from '../http/exotel-exception.filter';
import { createExotelValidationPipe } from '../http/exotel-validation.pipe';
import { ManagementAuthGuard } from '../http/management-auth.guard';
import {
  CreateIncidentDto,
  IncidentNoteDto,
  ListIncidentsQuery,
  ReclassifyIncidentDto,
  RecordRcaDto,
  ResolveIncidentDto,
} from './dto/incident-requests.dto';
import { IncidentListResponse, IncidentResponse } from './dto/incident.response';
import { IncidentService } from './incident.service';
import type { IncidentView } from './incident-view';

const asResponse = (view: IncidentView): IncidentResponse => view as unknown as IncidentResponse;

/**
 * Incidents (management API, Bearer key). Each action answers the incident as it is afterwards.
 * Errors: 404 `INCIDENT_NOT_FOUND`, 409 `INCIDENT_ALREADY_OPEN` / `INCIDENT_STATE_CONFLICT`,
 * 422 `UNKNOWN_SCOPE`, 400 `VALIDATION_FAILED`; a refused request changes nothing.
 */
@ApiTags('incidents')
@ApiBearerAuth()
@Controller('incidents')
@UseGuards(ManagementAuthGuard)
@UseFilters(ExotelExceptionFilter)
@UsePipes(createExotelValidationPipe())
export class IncidentsController {
  constructor(private readonly incidents: IncidentService) {}

  @Post()
  @ApiOperation({ summary: 'Open an incident by hand; it stays open until resolved by hand' })
  @ApiCreatedResponse({ type: IncidentResponse })
  @ApiConflictResponse({ description: 'INCIDENT_ALREADY_OPEN: the scope has an open incident' })
  @ApiUnprocessableEntityResponse({ description: 'UNKNOWN_SCOPE' })
  async create(@Body() body: CreateIncidentDto): Promise<IncidentResponse> {
    return asResponse(await this.incidents.open({ ...body }));
  }

  @Get()
  @ApiOperation({ summary: 'Incidents, newest first' })
  @ApiOkResponse({ type: IncidentListResponse })
  async list(@Query() query: ListIncidentsQuery): Promise<IncidentListResponse> {
    return { items: (await this.incidents.list(query)).map(asResponse) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'An incident with its timeline' })
  @ApiOkResponse({ type: IncidentResponse })
  @ApiNotFoundResponse({ description: 'INCIDENT_NOT_FOUND' })
  async get(@Param('id') id: string): Promise<IncidentResponse> {
    return asResponse(await this.incidents.get(id));
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resolve by hand; the RCA clock starts for Exotel-specific unplanned incidents' })
  @ApiOkResponse({ type: IncidentResponse })
  @ApiConflictResponse({ description: 'INCIDENT_STATE_CONFLICT: resolved already' })
  async resolve(@Param('id') id: string, @Body() body: ResolveIncidentDto): Promise<IncidentResponse> {
    return asResponse(await this.incidents.resolve(id, body.note));
  }

  @Post(':id/notes')
  @ApiOperation({ summary: 'Add a note to the timeline' })
  @ApiCreatedResponse({ type: IncidentResponse })
  async note(@Param('id') id: string, @Body() body: IncidentNoteDto): Promise<IncidentResponse> {
    return asResponse(await this.incidents.addNote(id, body.text));
  }

  @Post(':id/rca')
  @ApiOperation({ summary: 'Record the RCA of a resolved incident' })
  @ApiCreatedResponse({ type: IncidentResponse })
  @ApiConflictResponse({ description: 'INCIDENT_STATE_CONFLICT: not resolved, or RCA recorded already' })
  async rca(@Param('id') id: string, @Body() body: RecordRcaDto): Promise<IncidentResponse> {
    return asResponse(await this.incidents.recordRca(id, { summary: body.summary, url: body.url }));
  }

  @Post(':id/reclassify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reclassify by hand (recorded in the timeline); clocks follow' })
  @ApiOkResponse({ type: IncidentResponse })
  @ApiConflictResponse({ description: 'INCIDENT_STATE_CONFLICT: classified so already' })
  async reclassify(@Param('id') id: string, @Body() body: ReclassifyIncidentDto): Promise<IncidentResponse> {
    return asResponse(await this.incidents.reclassify(id, { ...body }));
  }
}
