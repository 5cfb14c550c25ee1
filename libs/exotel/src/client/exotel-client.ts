import { Inject, Injectable, Logger, Optional, type OnApplicationShutdown } from '@nestjs/common';
import type { AxiosRequestConfig } from 'axios';
import { performance } from 'node:perf_hooks';
import { EXOTEL_HTTP } from '../exotel.constants';
import { logLine } from '../logging/log-line';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import type {
  ConnectCallRequest,
  ExoPhoneDetails,
  ExotelCall,
  ExotelCallPage,
  ExotelV2Envelope,
  IncomingPhoneNumber,
  IncomingPhoneNumberPage,
  ListCallsQuery,
} from './exotel-api.types';
import { ExotelApiError } from '../errors/exotel-api.error';
import { toExotelError } from './exotel-error.mapper';
import { apiOutcomeOf, ExotelApiOutcomes } from './exotel-api-outcomes';
import type { ExotelHttp } from './exotel-http.factory';
import { connectCallForm } from './connect-call-form';
import { ExotelRateBudget, type ExotelBudget } from './exotel-rate-budget';
import { encodeForm, type FormValue } from './form-body';
import { maskAccountInPath } from './mask-account';

/** A successful answer with the time Exotel took to give it. */
export interface Timed<T> {
  readonly value: T;
  /** Time from sending the request to the answer, in milliseconds (rate-budget waits excluded). */
  readonly latencyMs: number;
}

interface ExotelRequest {
  method: 'GET' | 'POST';
  path: string;
  budget?: ExotelBudget;
  query?: Record<string, string | number | boolean | undefined>;
  form?: Record<string, FormValue>;
}

const PAGE_SIZE_LIMIT = 100;

/**
 * Typed client of Exotel's REST API: v1 voice (`Calls/connect`, call details, bulk calls) and the
 * ExoPhone endpoints (v2_beta list, v2 details with connectivity).
 *
 * Every failure is a typed error (`ExotelApiError`, `ExotelAuthError`, `ExotelRateLimitError`,
 * `ExotelTimeoutError`, `ExotelNetworkError`). GETs are retried on 429/5xx/network errors; POSTs never
 * are. Request lines are logged with the account SID masked and without credentials.
 */
@Injectable()
export class ExotelClient implements OnApplicationShutdown {
  private readonly logger = new Logger(ExotelClient.name);
  private readonly accountPath: string;

  constructor(
    @InjectExotelOptions('credentials') credentials: ResolvedExotelOptions['credentials'],
    private readonly budget: ExotelRateBudget,
    @InjectExotelOptions('timeouts') private readonly timeouts: ResolvedExotelOptions['timeouts'],
    @InjectExotelOptions('arrayEncoding')
    private readonly arrayEncoding: ResolvedExotelOptions['arrayEncoding'],
    @Inject(EXOTEL_HTTP) private readonly transport: ExotelHttp,
    // Hears every answer, so incidents learn when Exotel's API fails.
    @Optional() private readonly apiOutcomes?: ExotelApiOutcomes,
  ) {
    const { accountSid } = credentials;
    this.accountPath = encodeURIComponent(accountSid);
  }

  /**
   * `POST /v1/Accounts/<sid>/Calls/connect.json`. Sent once: a timeout (`ExotelTimeoutError` with
   * `mayHaveBeenReceived`) or a 5xx means the call may or may not have been placed.
   */
  async connectCall(
    request: ConnectCallRequest,
    options: { budgetReserved?: boolean } = {},
  ): Promise<Timed<ExotelCall>> {
    const result = await this.send<{ Call: ExotelCall }>({
      method: 'POST',
      path: `/v1/Accounts/${this.accountPath}/Calls/connect.json`,
      // Taken already when the caller reserved room ahead (`ExotelRateBudget.take`), as the call queue does.
      budget: options.budgetReserved ? undefined : 'voice',
      form: connectCallForm(request),
    });
    return { value: this.unwrapCall(result.value, 'POST Calls/connect'), latencyMs: result.latencyMs };
  }

  /** `GET /v1/Accounts/<sid>/Calls/<CallSid>.json`, optionally with leg `Details`. */
  async getCall(
    callSid: string,
    options: { details?: boolean; recordingUrlValidity?: number } = {},
  ): Promise<ExotelCall> {
    const result = await this.send<{ Call: ExotelCall }>({
      method: 'GET',
      path: `/v1/Accounts/${this.accountPath}/Calls/${encodeURIComponent(callSid)}.json`,
      budget: 'voice',
      query: {
        details: options.details ? 'true' : undefined,
        RecordingUrlValidity: options.recordingUrlValidity,
      },
    });
    return this.unwrapCall(result.value, 'GET Calls/<sid>');
  }

  /** `GET /v1/Accounts/<sid>/Calls.json`: one page of finished calls matching the filters. */
  async listCalls(query: ListCallsQuery = {}): Promise<ExotelCallPage> {
    const range = query.dateCreated;
    const dateCreated = range
      ? [range.gte && `gte:${range.gte}`, range.lte && `lte:${range.lte}`].filter(Boolean).join(';')
      : undefined;
    const result = await this.send<ExotelCallPage>({
      method: 'GET',
      path: `/v1/Accounts/${this.accountPath}/Calls.json`,
      budget: 'voice',
      query: {
        Sid: query.sid?.join(','),
        DateCreated: dateCreated,
        To: query.to?.join(','),
        From: query.from?.join(','),
        PhoneNumber: query.phoneNumber?.join(','),
        Status: query.status?.join(','),
        Direction: query.direction?.join(','),
        PageSize: query.pageSize,
        SortBy: query.sortBy,
        Before: query.before,
        After: query.after,
      },
    });
    return { Metadata: result.value?.Metadata ?? {}, Calls: result.value?.Calls ?? [] };
  }

  /** `GET /v2_beta/Accounts/<sid>/IncomingPhoneNumbers`: one page of the account's ExoPhones. */
  async listIncomingPhoneNumbers(page = 0, pageSize = 50): Promise<IncomingPhoneNumberPage> {
    const result = await this.send<IncomingPhoneNumberPage>({
      method: 'GET',
      path: `/v2_beta/Accounts/${this.accountPath}/IncomingPhoneNumbers`,
      query: { Page: page, PageSize: Math.min(pageSize, PAGE_SIZE_LIMIT) },
    });
    return { ...result.value, incoming_phone_numbers: result.value?.incoming_phone_numbers ?? [] };
  }

  /** Every ExoPhone of the account, following `next_page_uri` until the last page. */
  async listAllIncomingPhoneNumbers(pageSize = 100): Promise<IncomingPhoneNumber[]> {
    const all: IncomingPhoneNumber[] = [];
    for (let page = 0; ; page++) {
      const batch = await this.listIncomingPhoneNumbers(page, pageSize);
      all.push(...batch.incoming_phone_numbers);
      if (!batch.next_page_uri || batch.incoming_phone_numbers.length === 0) return all;
    }
  }

  /**
   * `GET /v2/accounts/<sid>/incoming-phone-numbers/<exoPhoneSid>`: one ExoPhone with its
   * `connectivity`. Draws from the ExoPhone-details budget (Exotel throttles this endpoint).
   */
  async getExoPhone(exoPhoneSid: string): Promise<ExoPhoneDetails> {
    const path = `/v2/accounts/${this.accountPath}/incoming-phone-numbers/${encodeURIComponent(exoPhoneSid)}`;
    const result = await this.send<ExotelV2Envelope<ExoPhoneDetails>>({
      method: 'GET',
      path,
      budget: 'exophoneDetails',
    });
    const blocks = result.value?.response;
    const block = Array.isArray(blocks) ? blocks[0] : blocks;
    if (!block?.data) {
      throw new ExotelApiError({
        status: block?.code ?? 502,
        exotelCode: block?.error_data?.code,
        exotelMessage: block?.error_data?.message ?? 'the v2 response had no data block',
        method: 'GET',
        path: maskAccountInPath(path),
      });
    }
    return block.data;
  }

  onApplicationShutdown(): void {
    this.transport.agents.http.destroy();
    this.transport.agents.https.destroy();
  }

  private unwrapCall(body: { Call: ExotelCall } | undefined, what: string): ExotelCall {
    if (body?.Call?.Sid) return body.Call;
    throw new ExotelApiError(
      { status: 502, method: what.split(' ')[0], path: what.split(' ')[1] },
      `Exotel answered ${what} without a Call.Sid; the response was not the documented JSON shape.`,
    );
  }

  private async send<T>(request: ExotelRequest): Promise<Timed<T>> {
    const masked = maskAccountInPath(request.path);
    if (request.budget) await this.budget.take(request.budget, request.method, masked);
    const config: AxiosRequestConfig = {
      method: request.method,
      url: request.path,
      params: request.query ? withoutEmpty(request.query) : undefined,
    };
    if (request.form) {
      config.data = encodeForm(request.form, this.arrayEncoding);
      config.headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
    }
    const started = performance.now();
    try {
      const response = await this.transport.http.axiosRef.request<T>(config);
      const latencyMs = performance.now() - started;
      this.logger.debug(
        logLine('Exotel API call', {
          method: request.method,
          path: masked,
          status: response.status,
          ms: Math.round(latencyMs),
        }),
      );
      this.apiOutcomes?.record('ok');
      return { value: response.data, latencyMs };
    } catch (raw) {
      const error = toExotelError(raw, {
        method: request.method,
        path: masked,
        connectTimeoutMs: this.timeouts.connectMs,
        requestTimeoutMs: this.timeouts.requestMs,
      });
      this.logger.warn(
        logLine('Exotel API call failed', {
          method: request.method,
          path: masked,
          code: error.code,
          status: (error as { status?: number }).status,
          ms: Math.round(performance.now() - started),
        }),
      );
      this.apiOutcomes?.record(apiOutcomeOf(error), `${request.method} ${masked}`);
      throw error;
    }
  }
}

function withoutEmpty(query: Record<string, string | number | boolean | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== '') out[key] = String(value);
  return out;
}
