import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Req,
  Res,
  UseFilters,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { ValidationFailedError } from '../errors/http-request.errors';
import { ExoPhoneHealthService } from '../exophones/exophone-health.service';
import { ExotelExceptionFilter } from '../http/exotel-exception.filter';
import { createExotelValidationPipe } from '../http/exotel-validation.pipe';
import { ApiExcludeController } from '../http/openapi.decorators';
import { IncidentService } from '../incidents/incident.service';
import { SupportSlaService } from '../support/support-sla.service';
import { ConsoleKeyRefusedError } from './console.errors';
import { ConsoleFeed } from './console-feed';
import { CONSOLE_SECURITY_HEADERS, ConsoleAssets, consolePage } from './console-page';
import { ConsoleSessionGuard, readCookie } from './console-session.guard';
import { CONSOLE_COOKIE, CONSOLE_SESSION_MS, ConsoleSessions } from './console-sessions';
import { toConsoleTicket } from './console-tickets';
import { ConsoleViews } from './console-views';
import {
  ConsoleCustomerFacingDto,
  ConsoleDeclareIncidentDto,
  ConsoleFleetQuery,
  ConsoleOpenTicketDto,
  ConsoleResolveIncidentDto,
  ConsoleSignInDto,
} from './dto/console.dto';

const TICKET_ACTIONS = ['acknowledge', 'respond', 'pause', 'resume', 'resolve'] as const;
type TicketAction = (typeof TICKET_ACTIONS)[number];

/**
 * The operations console: one page (`GET /console`) over what the service knows, live from the
 * outbox, behind the management API keys. The key is typed into a sign-in form once; the session
 * is a signed HttpOnly, SameSite=Strict cookie (`ConsoleSessions`), never a key in a URL or in
 * the browser's storage. Actions go through the same services, and so publish the same events, as
 * the management API.
 */
@ApiExcludeController()
@Controller('console')
@UseFilters(ExotelExceptionFilter)
@UsePipes(createExotelValidationPipe())
export class ConsoleController {
  private readonly assets = new ConsoleAssets();

  constructor(
    private readonly sessions: ConsoleSessions,
    private readonly views: ConsoleViews,
    private readonly feed: ConsoleFeed,
    private readonly incidents: IncidentService,
    private readonly tickets: SupportSlaService,
    private readonly exophones: ExoPhoneHealthService,
  ) {}

  @Get()
  page(@Req() request: Request, @Res() response: Response): void {
    const base = request.originalUrl.split('?')[0].replace(/\/+$/, '');
    const session = this.sessions.verify(readCookie(request, CONSOLE_COOKIE));
    response
      .status(200)
      .set({
        ...CONSOLE_SECURITY_HEADERS,
        'Cache-Control': 'no-store',
        'Content-Type': 'text/html; charset=utf-8',
      })
      .send(consolePage(base, this.assets.get('console.js') !== undefined, session?.token));
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Req() request: Request, @Res() response: Response): void {
    const asset = this.assets.get(file);
    if (!asset) {
      response.status(404).type('text/plain').send('Not found');
      return;
    }
    response.set({
      ...CONSOLE_SECURITY_HEADERS,
      'Content-Type': asset.contentType,
      'Cache-Control': 'no-cache',
      ETag: asset.etag,
    });
    if (request.header('if-none-match') === asset.etag) response.status(304).end();
    else response.status(200).send(asset.body);
  }

  /** Signs in with a management API key: sets the session cookie, answers the anti-forgery token. */
  @Post('api/session')
  @HttpCode(200)
  signIn(
    @Body() body: ConsoleSignInDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const opened = this.sessions.open(body.key);
    if (!opened) throw new ConsoleKeyRefusedError();
    response.cookie(CONSOLE_COOKIE, opened.cookie, {
      httpOnly: true,
      sameSite: 'strict',
      secure: request.secure,
      path: cookiePath(request),
      maxAge: CONSOLE_SESSION_MS,
      encode: String,
    });
    response.set('Cache-Control', 'no-store');
    return { token: opened.session.token, expiresAt: opened.session.expiresAt.toISOString() };
  }

  /** The session: its anti-forgery token and expiry (a page reload asks for them here). */
  @Get('api/session')
  @UseGuards(ConsoleSessionGuard)
  session(@Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const session = this.sessions.verify(readCookie(request, CONSOLE_COOKIE));
    response.set('Cache-Control', 'no-store');
    return { token: session?.token, expiresAt: session?.expiresAt.toISOString() };
  }

  @Delete('api/session')
  @HttpCode(204)
  @UseGuards(ConsoleSessionGuard)
  signOut(@Req() request: Request, @Res({ passthrough: true }) response: Response): void {
    response.clearCookie(CONSOLE_COOKIE, { httpOnly: true, sameSite: 'strict', path: cookiePath(request) });
  }

  @Get('api/summary')
  @UseGuards(ConsoleSessionGuard)
  summary() {
    return this.views.summary();
  }

  @Get('api/exophones')
  @UseGuards(ConsoleSessionGuard)
  fleet(@Query() query: ConsoleFleetQuery) {
    return this.views.fleet({ ...query, limit: query.limit ?? 200 });
  }

  /** Marks an ExoPhone customer-facing or not, or clears the mark (`exophone.customer_facing_changed`). */
  @Put('api/exophones/:sid/customer-facing')
  @UseGuards(ConsoleSessionGuard)
  markCustomerFacing(@Param('sid') sid: string, @Body() body: ConsoleCustomerFacingDto) {
    return this.exophones.markCustomerFacing(sid, body.customerFacing);
  }

  @Get('api/incidents')
  @UseGuards(ConsoleSessionGuard)
  incidentBoard() {
    return this.views.incidentBoard();
  }

  @Get('api/incidents/:id')
  @UseGuards(ConsoleSessionGuard)
  incident(@Param('id') id: string) {
    return this.views.incident(id);
  }

  /** Declares an incident by hand (`IncidentService.open`, `incident.opened`). */
  @Post('api/incidents')
  @UseGuards(ConsoleSessionGuard)
  declare(@Body() body: ConsoleDeclareIncidentDto) {
    return this.incidents.open({ scope: body.scope, kind: body.kind, title: body.title, note: body.note });
  }

  @Post('api/incidents/:id/resolve')
  @HttpCode(200)
  @UseGuards(ConsoleSessionGuard)
  resolveIncident(@Param('id') id: string, @Body() body: ConsoleResolveIncidentDto) {
    return this.incidents.resolve(id, body.note);
  }

  @Get('api/tickets')
  @UseGuards(ConsoleSessionGuard)
  ticketBoard() {
    return this.views.ticketBoard();
  }

  /** Opens a ticket (`SupportSlaService.open`, `ticket.created`). */
  @Post('api/tickets')
  @UseGuards(ConsoleSessionGuard)
  async openTicket(@Body() body: ConsoleOpenTicketDto) {
    return toConsoleTicket(await this.tickets.open({ title: body.title, severity: body.severity }), 0);
  }

  /** Acknowledges, responds to, pauses, resumes or resolves a ticket (`SupportSlaService`). */
  @Post('api/tickets/:id/:action')
  @HttpCode(200)
  @UseGuards(ConsoleSessionGuard)
  async ticketAction(@Param('id') id: string, @Param('action') action: string) {
    if (!TICKET_ACTIONS.includes(action as TicketAction))
      throw new ValidationFailedError([
        { field: 'action', message: `must be one of ${TICKET_ACTIONS.join(', ')}` },
      ]);
    const ticket = await this.tickets[action as TicketAction](id);
    return toConsoleTicket(ticket, 0);
  }

  @Get('api/calls')
  @UseGuards(ConsoleSessionGuard)
  callBoard() {
    return this.views.callBoard();
  }

  /** The live feed (server-sent events). */
  @Get('api/stream')
  @UseGuards(ConsoleSessionGuard)
  async stream(@Req() request: Request, @Res() response: Response): Promise<void> {
    await this.feed.attach(request, response);
  }
}

/** The console's own path (the cookie goes nowhere else), from the sign-in request's URL. */
function cookiePath(request: Request): string {
  return request.originalUrl.split('?')[0].replace(/\/api\/session\/?$/, '') || '/';
}
