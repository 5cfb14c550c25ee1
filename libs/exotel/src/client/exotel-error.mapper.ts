import { AxiosError, type AxiosResponse } from 'axios';
import { ExotelApiError, type ExotelApiErrorInit } from '../errors/exotel-api.error';
import { ExotelAuthError } from '../errors/exotel-auth.error';
import { ExotelError } from '../errors/exotel.error';
import { ExotelNetworkError } from '../errors/exotel-network.error';
import { ExotelRateLimitError } from '../errors/exotel-rate-limit.error';
import { ExotelTimeoutError } from '../errors/exotel-timeout.error';
import { CONNECT_TIMEOUT_CODE } from './connect-timeout.agent';

// Failures that happen before a single byte of the request can reach Exotel.
const NOT_SENT_CODES = new Set([
  CONNECT_TIMEOUT_CODE,
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'ERR_INVALID_URL',
]);

/** What the mapper needs to know about the request that failed. */
export interface FailedRequest {
  readonly method: string;
  /** Path with the account SID masked. */
  readonly path: string;
  readonly connectTimeoutMs: number;
  readonly requestTimeoutMs: number;
}

/**
 * Turns whatever axios threw into one of the library's typed errors. The axios error itself is
 * dropped: it holds the request configuration, including the Authorization header.
 */
export function toExotelError(error: unknown, request: FailedRequest): ExotelError {
  if (error instanceof ExotelError) return error;
  if (!(error instanceof AxiosError)) {
    return new ExotelNetworkError(request.method, request.path, undefined, true, summarize(error));
  }
  if (error.response) return fromResponse(error.response, request);

  const code = error.code ?? (error.cause as { code?: string } | undefined)?.code;
  if (code === CONNECT_TIMEOUT_CODE) {
    return new ExotelTimeoutError(request.method, request.path, 'connect', request.connectTimeoutMs);
  }
  if (code === 'ECONNABORTED' || code === AxiosError.ETIMEDOUT) {
    return new ExotelTimeoutError(request.method, request.path, 'response', request.requestTimeoutMs);
  }
  return new ExotelNetworkError(
    request.method,
    request.path,
    code,
    !NOT_SENT_CODES.has(code ?? ''),
    summarize(error),
  );
}

function fromResponse(response: AxiosResponse, request: FailedRequest): ExotelApiError {
  const parsed = parseErrorBody(response.data);
  const init: ExotelApiErrorInit = {
    status: response.status,
    exotelCode: parsed.code,
    exotelMessage: parsed.message,
    method: request.method,
    path: request.path,
  };
  if (response.status === 429) {
    return new ExotelRateLimitError(init, 'exotel', retryAfterMs(response.headers['retry-after']));
  }
  if (response.status === 401 || response.status === 403) return new ExotelAuthError(init);
  return new ExotelApiError(init);
}

/** Reads Exotel's error envelopes: v1 `RestException`, v2 `response.error_data`, and the Legs-style `response.error`. */
function parseErrorBody(body: unknown): { code?: number | string; message?: string } {
  const data = typeof body === 'string' ? tryJson(body) : body;
  if (!data || typeof data !== 'object') return {};
  const rest = (data as { RestException?: { Code?: number | string; Message?: string } }).RestException;
  if (rest && typeof rest === 'object') return { code: rest.Code, message: cleanText(rest.Message) };

  const response = (data as { response?: unknown }).response;
  const block: unknown = Array.isArray(response) ? (response as unknown[])[0] : response;
  if (block && typeof block === 'object') {
    const detail =
      (block as { error_data?: { code?: number | string; message?: string; description?: string } })
        .error_data ?? (block as { error?: { code?: number | string; message?: string } }).error;
    if (detail && typeof detail === 'object') {
      const description = (detail as { description?: string }).description;
      return { code: detail.code, message: cleanText(detail.message ?? description) };
    }
  }
  return {};
}

/** `Retry-After` in milliseconds, from delta-seconds or an HTTP date. */
export function retryAfterMs(header: unknown, now: number = Date.now()): number | undefined {
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function cleanText(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  const trimmed = text.replace(/[;\s]+$/, '').trim();
  return trimmed.length > 0 ? trimmed.slice(0, 500) : undefined;
}

function summarize(error: unknown): { name?: string; message?: string; code?: string } {
  if (!(error instanceof Error)) return { message: String(error) };
  return { name: error.name, message: error.message, code: (error as { code?: string }).code };
}
