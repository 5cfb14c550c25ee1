import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { VOICE_ENDPOINTS } from '../faults/endpoints';
import { placesCall, type SimulatedFault } from '../faults/fault';
import { EXOTEL_CONNECT_LATENCY, sampleLatency } from '../faults/latency-profile';
import type { SimulatorCore } from '../simulator-core';
import { hexId } from '../support/random';
import { apiError } from './api-errors';
import { basicHeader, hasCredentials } from './basic-auth';
import { FormFields } from './form-fields';
import { BodyTooLargeError, readFormBody, readRawBody } from './read-body';
import type { RecordedRequest } from './recorded-request';
import { writeReply, type Reply } from './reply';
import {
  familyOfPath,
  matchRoute,
  wantsXml,
  type ApiFamily,
  type ApiRoute,
  type RouteContext,
} from './route';

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Serves one Exotel API request: Basic auth, account check, routing, Exotel's rate limits, fault
 * injection, the handler, then latency. On Calls/connect the call is placed before any delay or
 * withheld answer, as Exotel originates the call before it answers.
 */
export class ApiPipeline {
  private readonly expectedAuth: string;
  private nextId = 1;

  constructor(
    private readonly core: SimulatorCore,
    private readonly routes: readonly ApiRoute[],
  ) {
    this.expectedAuth = basicHeader(core.options.apiKey, core.options.apiToken);
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = Date.now();
    const url = request.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const query = new URLSearchParams(q === -1 ? '' : url.slice(q + 1));
    const method = request.method ?? 'GET';
    const record: RecordedRequest = {
      id: this.nextId++,
      at: started,
      method,
      path,
      query: q === -1 ? {} : FormFields.fromUrlEncoded(url.slice(q + 1)).toObject(),
      contentType: request.headers['content-type'],
      outcome: 'pending',
    };
    this.core.requestLog.push(record);
    const matched = matchRoute(this.routes, method, path);
    const family: ApiFamily = matched?.route.family ?? familyOfPath(path);
    // Only v2 answers carry a request_id; v1 requests do not spend a draw on one.
    const requestId = family === 'v2' ? hexId(this.core.random) : '';
    const xml = wantsXml(family, path);
    const answer = (reply: Reply): void => {
      writeReply(response, xml && reply.format !== 'raw' ? { ...reply, format: 'xml' } : reply);
      record.status = reply.status;
      record.outcome = 'answered';
      record.durationMs = Date.now() - started;
      this.core.notifier.notify();
    };
    const fail = (status: number, message?: string, headers?: Record<string, string>): void =>
      answer(apiError({ family, status, requestId, method, message, headers }));

    if (!this.servesHost(request.headers.host))
      return fail(404, `This simulator does not answer as ${request.headers.host}`);
    if (!hasCredentials(request.headers.authorization, this.expectedAuth)) return fail(401);
    if (!matched) return fail(404);
    const { route, params } = matched;
    record.endpoint = route.endpoint;
    if (params.sid !== this.core.options.accountSid) {
      return fail(403, 'The account SID in the path does not belong to these credentials');
    }
    const limited = this.rateLimited(route);
    if (limited !== undefined) {
      const headers = this.core.options.retryAfterOnRateLimit
        ? { 'Retry-After': String(Math.ceil(limited / 1000)) }
        : undefined;
      return fail(429, undefined, headers);
    }

    const fault = this.core.faults.take(route.endpoint, this.core.random);
    record.fault = fault;
    let reply: Reply | undefined;
    const runHandler =
      route.endpoint === 'connect' ? placesCall(fault) : fault?.status === undefined && !fault?.hang;
    if (runHandler) {
      let form: FormFields | undefined;
      if (method === 'POST') {
        try {
          form = await readFormBody(request, await readRawBody(request, MAX_BODY_BYTES));
        } catch (error) {
          return fail(
            error instanceof BodyTooLargeError ? 413 : 400,
            error instanceof Error ? error.message : undefined,
          );
        }
        record.form = form.toObject();
      } else {
        request.resume();
      }
      const context: RouteContext = { method, path, params, query, requestId, form };
      reply = await route.handle(context);
      record.callSid = context.placedCallSid;
    } else {
      request.resume();
    }
    if (fault?.status !== undefined && (!reply || reply.status < 400))
      reply = this.faultReply(fault, family, requestId, method);

    if (fault?.hang) {
      record.outcome = 'hung';
      this.core.notifier.notify();
      response.on('close', () => {
        record.outcome = 'closed';
        this.core.notifier.notify();
      });
      return;
    }
    const delay = this.delayFor(route, fault);
    // A plain timer, not the clock's: reset() cancels lifecycle timers but must not strand an answer.
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, this.core.clock.realMs(delay)).unref());
    if (reply) answer(reply);
  }

  /** Any host, or with `hostAliases` set: those, `localhost` and IP addresses. */
  private servesHost(hostHeader: string | undefined): boolean {
    const aliases = this.core.options.hostAliases;
    if (!aliases || !hostHeader) return true;
    const host = hostHeader
      .replace(/:\d+$/, '')
      .replace(/^\[|\]$/g, '')
      .toLowerCase();
    return host === 'localhost' || isIP(host) !== 0 || aliases.includes(host);
  }

  private rateLimited(route: ApiRoute): number | undefined {
    const now = Date.now();
    const window = VOICE_ENDPOINTS.includes(route.endpoint)
      ? this.core.limits.voice
      : route.endpoint === 'exophone-details'
        ? this.core.limits.exophoneDetails
        : undefined;
    const wait = window?.take(now) ?? 0;
    return wait > 0 ? wait : undefined;
  }

  private faultReply(fault: SimulatedFault, family: ApiFamily, requestId: string, method: string): Reply {
    const headers =
      fault.retryAfterSeconds !== undefined ? { 'Retry-After': String(fault.retryAfterSeconds) } : undefined;
    return apiError({
      family,
      status: fault.status!,
      requestId,
      method,
      message: fault.message,
      code: fault.code,
      headers,
    });
  }

  private delayFor(route: ApiRoute, fault: SimulatedFault | undefined): number {
    const profile = this.core.options.latency;
    if (
      fault?.delayMs === 'sampled' ||
      (fault?.delayMs === undefined && profile && route.endpoint === 'connect')
    ) {
      return sampleLatency(profile || EXOTEL_CONNECT_LATENCY, this.core.random);
    }
    return typeof fault?.delayMs === 'number' ? fault.delayMs : 0;
  }
}
