import { Injectable } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { ExotelClient } from '../client/exotel-client';
import type { ConnectCallRequest, ExotelCall } from '../client/exotel-api.types';
import { ExotelMetrics } from '../metrics/exotel-metrics';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { CallLatencyWatch } from './call-latency-watch';
import { classifyAttempt, type AttemptVerdict } from './call-outcome';

/** Calls/connect's last word on a call: a CallSid, or a refusal or doubt to record. */
export type AttemptResult =
  | { readonly kind: 'initiated'; readonly call: ExotelCall; readonly latencyMs: number }
  | { readonly kind: 'settled'; readonly verdict: Extract<AttemptVerdict, { kind: 'failed' | 'unknown' }> };

/** What sending Calls/connect came to, after every retry. */
export interface SendResult {
  readonly result: AttemptResult;
  readonly attempts: number;
}

/**
 * Sends Calls/connect, retrying only what cannot have placed a call: a 429 (after `Retry-After`,
 * else a doubling fallback delay, within `calls.rateLimitRetries`) and a request that never left
 * (within `calls.notSentRetries`). Anything else is the call's outcome, to record.
 */
@Injectable()
export class CallSender {
  private readonly attemptsCounter: Counter<'result'>;

  constructor(
    @InjectExotelOptions('calls') private readonly calls: ResolvedExotelOptions['calls'],
    private readonly client: ExotelClient,
    private readonly latency: CallLatencyWatch,
    metrics: ExotelMetrics,
  ) {
    this.attemptsCounter = metrics.counter({
      name: 'exotel_calls_connect_attempts_total',
      help: 'Calls/connect attempts by result (retried: 429 or not sent)',
      labelNames: ['result'],
    });
  }

  /**
   * Sends the request until Exotel answers, refuses, leaves it in doubt or the retries run out.
   * `budgetReserved`: the caller took the first attempt's room in the budget already.
   */
  async send(request: ConnectCallRequest, budgetReserved = false): Promise<SendResult> {
    const limits = this.calls;
    let attempts = 0;
    let rateLimited = 0;
    let notSent = 0;
    let waited = 0;
    for (;;) {
      attempts++;
      try {
        const answer = await this.client.connectCall(request, {
          budgetReserved: budgetReserved && attempts === 1,
        });
        this.attemptsCounter.inc({ result: 'answered' });
        this.latency.record(answer.latencyMs);
        return { result: { kind: 'initiated', call: answer.value, latencyMs: answer.latencyMs }, attempts };
      } catch (error) {
        const verdict = classifyAttempt(error);
        this.attemptsCounter.inc({ result: verdict.kind });
        if (verdict.kind === 'rate_limited') {
          rateLimited++;
          const delay =
            verdict.retryAfterMs ?? limits.rateLimitRetries.fallbackDelayMs * 2 ** (rateLimited - 1);
          if (
            rateLimited < limits.rateLimitRetries.maxAttempts &&
            waited + delay <= limits.rateLimitRetries.maxWaitMs
          ) {
            waited += delay;
            await sleep(delay);
            continue;
          }
          const reason = `Exotel answered 429 ${rateLimited} time(s); nothing placed`;
          return { result: refused(reason, 429), attempts };
        }
        if (verdict.kind === 'not_sent') {
          notSent++;
          if (notSent < limits.notSentRetries.maxAttempts) {
            await sleep(limits.notSentRetries.delayMs * 2 ** (notSent - 1));
            continue;
          }
          return { result: refused(`${verdict.reason}; nothing sent`, null), attempts };
        }
        return { result: { kind: 'settled', verdict }, attempts };
      }
    }
  }
}

/** Retries that ran out: nothing was placed. */
function refused(reason: string, status: number | null): AttemptResult {
  return { kind: 'settled', verdict: { kind: 'failed', reason, status, code: null } };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
