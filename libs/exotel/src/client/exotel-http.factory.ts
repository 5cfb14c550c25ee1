import { HttpService } from '@nestjs/axios';
import axios, { type AxiosError, type AxiosInstance } from 'axios';
import axiosRetry, { isNetworkError } from 'axios-retry';
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { createKeepAliveAgents } from './connect-timeout.agent';
import { retryAfterMs } from './exotel-error.mapper';

// A Retry-After longer than this is not waited for: the caller gets the 429 and decides.
const MAX_HONOURED_RETRY_AFTER_MS = 60_000;

/** The HTTP stack that talks to Exotel: keep-alive agents, auth header, timeouts and GET retries. */
export interface ExotelHttp {
  readonly http: HttpService;
  readonly agents: { http: HttpAgent; https: HttpsAgent };
}

/**
 * Builds the axios instance behind `ExotelClient`.
 *
 * - Credentials go in the `Authorization: Basic` header only, never in URLs.
 * - The request timeout bounds the wait for an answer once connected; the agents bound the connect.
 * - Only safe methods are retried (429, 5xx, network errors), with full-jitter exponential backoff
 *   that honours `Retry-After`. A POST such as Calls/connect is never retried here: a timeout or 5xx
 *   does not prove that Exotel did nothing.
 */
export function createExotelHttp(options: ResolvedExotelOptions): ExotelHttp {
  const agents = createKeepAliveAgents(options.timeouts.connectMs);
  const { apiKey, apiToken } = options.credentials;
  const instance: AxiosInstance = axios.create({
    baseURL: options.baseUrl,
    timeout: options.timeouts.requestMs,
    httpAgent: agents.http,
    httpsAgent: agents.https,
    maxRedirects: 0,
    proxy: false,
    headers: {
      Authorization: `Basic ${Buffer.from(`${apiKey}:${apiToken}`).toString('base64')}`,
      Accept: 'application/json',
      'User-Agent': 'nestjs-exotel',
    },
  });

  axiosRetry(instance, {
    retries: options.retry.maxRetries,
    shouldResetTimeout: true,
    retryCondition: (error) => isRetryableSafeRequest(error),
    // axios-retry applies Retry-After only in its built-in delays, so a custom delay honours it itself.
    retryDelay: (attempt, error) =>
      Math.max(
        backoffDelay(attempt, options.retry.baseDelayMs, options.retry.maxDelayMs),
        retryAfterMs(error.response?.headers['retry-after']) ?? 0,
      ),
  });

  // @nestjs/axios is an ES module and sees axios's ESM typings; this file sees the CommonJS ones.
  // They describe the same runtime object.
  const http = new HttpService(instance as unknown as ConstructorParameters<typeof HttpService>[0]);
  return { http, agents };
}

/** True for GET/HEAD failures worth another attempt. */
function isRetryableSafeRequest(error: AxiosError): boolean {
  const method = (error.config?.method ?? 'get').toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') return false;
  const status = error.response?.status;
  if (status === 429) {
    const wait = retryAfterMs(error.response?.headers['retry-after']);
    return wait === undefined || wait <= MAX_HONOURED_RETRY_AFTER_MS;
  }
  if (status !== undefined) return status >= 500;
  return isNetworkError(error) || error.code === 'ECONNABORTED';
}

/** Full-jitter exponential backoff: a random delay in [0, min(max, base * 2^(attempt-1))]. */
function backoffDelay(
  attempt: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random = Math.random,
): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(random() * ceiling);
}
