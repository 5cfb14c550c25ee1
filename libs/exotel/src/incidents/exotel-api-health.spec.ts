import { ExotelApiError } from '../errors/exotel-api.error';
import { ExotelTimeoutError } from '../errors/exotel-timeout.error';
import { ManualClock } from '../jobs/exotel-clock';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { apiOutcomeOf } from '../client/exotel-api-outcomes';
import { ExotelApiHealth, type ApiHealthSnapshot } from './exotel-api-health';

const options = {
  incidents: {
    api: { failureThreshold: 3, windowMs: 60_000, recoverAfterSuccesses: 2, probeIntervalMs: 1_000 },
  },
} as unknown as ResolvedExotelOptions;

describe('ExotelApiHealth', () => {
  let clock: ManualClock;
  let health: ExotelApiHealth;
  let changes: ApiHealthSnapshot[];

  beforeEach(() => {
    clock = new ManualClock('2026-11-23T10:00:00Z');
    health = new ExotelApiHealth(options, clock);
    changes = [];
    health.onChange((s) => changes.push(s));
  });

  it('fails after the threshold of failures that are at least half the requests, and recovers after answers in a row', () => {
    health.record('server_error');
    health.record('timeout');
    expect(changes).toHaveLength(0);
    health.record('network_error', 'GET /v1/Accounts/***/Calls.json');
    expect(changes.map((c) => c.failing)).toEqual([true]);
    expect(changes[0].detail).toContain('3 of 3 requests');
    health.record('server_error');
    health.record('ok');
    expect(changes).toHaveLength(1);
    health.record('ok');
    expect(changes.map((c) => c.failing)).toEqual([true, false]);
  });

  it('ignores failures that are a small share of the traffic, old failures and client errors', () => {
    for (let i = 0; i < 10; i++) health.record('ok');
    for (let i = 0; i < 3; i++) health.record('server_error');
    expect(changes).toHaveLength(0);
    clock.advance(61_000);
    health.record('server_error');
    health.record('server_error');
    expect(changes).toHaveLength(0);
    health.record('neutral');
    expect(health.snapshot().requests).toBe(2);
  });

  it('classifies errors: 5xx, timeouts and network errors count; 4xx do not', () => {
    expect(apiOutcomeOf(new ExotelApiError({ status: 503, method: 'GET', path: '/x' }))).toBe('server_error');
    expect(apiOutcomeOf(new ExotelApiError({ status: 400, method: 'GET', path: '/x' }))).toBe('neutral');
    expect(apiOutcomeOf(new ExotelTimeoutError('GET', '/x', 'response', 35_000))).toBe('timeout');
  });
});
