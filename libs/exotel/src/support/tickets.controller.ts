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
} from '../http/openapi.decorators';
import { ExotelExceptionFilter } from '../http/exotel-exception.filter';
import { createExotelValidationPipe } from '../http/exotel-validation.pipe';
import { ManagementAuthGuard } from '../http/management-auth.guard';
import { CreateTicketDto } from './dto/create-ticket.dto';
import { ListTicketsQuery } from './dto/list-tickets.query';
import { TicketListResponse, TicketResponse, toTicketResponse } from './dto/ticket.response';
import { SupportSlaService } from './support-sla.service';

/**
 * Support tickets and their SLA clocks (management API, Bearer key). Each action answers the
 * ticket as it is afterwards; an action the ticket's state does not allow is a 409
 * `TICKET_STATE_CONFLICT`, an unknown ticket a 404 `TICKET_NOT_FOUND`.
 */
@ApiTags('tickets')
@ApiBearerAuth()
@Controller('tickets')
@UseGuards(ManagementAuthGuard)
@UseFilters(ExotelExceptionFilter)
@UsePipes(createExotelValidationPipe())
export class TicketsController {
  constructor(private readonly support: SupportSlaService) {}

  @Post()
  @ApiOperation({ summary: 'Open a ticket; its clocks start at openedAt (default now)' })
  @ApiCreatedResponse({ type: TicketResponse })
  @ApiConflictResponse({ description: 'TICKET_EXISTS_FOR_INCIDENT' })
  async create(@Body() body: CreateTicketDto): Promise<TicketResponse> {
    const ticket = await this.support.open({
      title: body.title,
      severity: body.severity,
      plan: body.plan,
      incident: body.incident && { id: body.incident.id, kind: body.incident.kind },
      openedAt: body.openedAt === undefined ? undefined : new Date(body.openedAt),
      thirdPartySla: body.thirdPartySla && { ...body.thirdPartySla },
    });
    return toTicketResponse(ticket);
  }

  @Get()
  @ApiOperation({ summary: 'Tickets, newest first' })
  @ApiOkResponse({ type: TicketListResponse })
  async list(@Query() query: ListTicketsQuery): Promise<TicketListResponse> {
    return { items: (await this.support.list(query)).map(toTicketResponse) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A ticket with its acknowledgement and response clocks' })
  @ApiOkResponse({ type: TicketResponse })
  @ApiNotFoundResponse({ description: 'TICKET_NOT_FOUND' })
  async get(@Param('id') id: string): Promise<TicketResponse> {
    return toTicketResponse(await this.support.get(id));
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop the acknowledgement clock' })
  @ApiOkResponse({ type: TicketResponse })
  async acknowledge(@Param('id') id: string): Promise<TicketResponse> {
    return toTicketResponse(await this.support.acknowledge(id));
  }

  @Post(':id/respond')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop the response clock (also acknowledges, ends a wait on the customer)' })
  @ApiOkResponse({ type: TicketResponse })
  async respond(@Param('id') id: string): Promise<TicketResponse> {
    return toTicketResponse(await this.support.respond(id));
  }

  @Post(':id/pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Wait on the customer: the response clock stops' })
  @ApiOkResponse({ type: TicketResponse })
  async pause(@Param('id') id: string): Promise<TicketResponse> {
    return toTicketResponse(await this.support.pause(id));
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'The customer answered: the response clock runs again' })
  @ApiOkResponse({ type: TicketResponse })
  async resume(@Param('id') id: string): Promise<TicketResponse> {
    return toTicketResponse(await this.support.resume(id));
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resolve; metrics not met yet are met now' })
  @ApiOkResponse({ type: TicketResponse })
  async resolve(@Param('id') id: string): Promise<TicketResponse> {
    return toTicketResponse(await this.support.resolve(id));
  }
}
