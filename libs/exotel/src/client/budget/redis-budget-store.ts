import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ExotelConfigurationError } from '../../errors/exotel-configuration.error';
import { RequestBudgetStore, type BudgetVerdict } from './request-budget-store';

// A sorted set per budget, scored by the grant's instant (ms, by Redis' clock, which every replica
// shares). One script grants or refuses atomically; the set expires a period after its last grant.
// Returns 0 when granted, else the ms until enough grants leave the window for one more.
const TAKE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - period)
local count = redis.call('ZCARD', KEYS[1])
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], period)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + period - now)
`;

type RedisWithTake = Redis & {
  exotelBudgetTake(key: string, limit: number, periodMs: number, member: string): Promise<number>;
};

/**
 * ioredis is an optional peer: it is loaded only when `rateLimit.redisUrl` is set, so a host that
 * shares budgets through its database never installs it.
 */
function loadIoredis(): typeof import('ioredis') {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand (optional peer)
    return require('ioredis') as typeof import('ioredis');
  } catch {
    throw new ExotelConfigurationError([
      {
        path: 'rateLimit.redisUrl',
        problem: 'needs the ioredis package, which is not installed',
        fix: 'npm install ioredis',
      },
    ]);
  }
}

/** Grants counted in Redis, shared by every replica that points at it. */
export class RedisBudgetStore extends RequestBudgetStore {
  readonly kind = 'redis' as const;
  private readonly redis: RedisWithTake;

  constructor(url: string, connectTimeoutMs: number) {
    super();
    const { Redis } = loadIoredis();
    // Fail a take quickly while Redis is away (the caller reports it) instead of queueing it.
    this.redis = new Redis(url, {
      lazyConnect: true,
      connectTimeout: connectTimeoutMs,
      commandTimeout: connectTimeoutMs,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: true,
    }) as RedisWithTake;
    this.redis.defineCommand('exotelBudgetTake', { numberOfKeys: 1, lua: TAKE_SCRIPT });
    // Errors reach the caller of take(); without a listener ioredis would also print them.
    this.redis.on('error', () => undefined);
  }

  async take(budget: string, limit: number, periodMs: number): Promise<BudgetVerdict> {
    const retryInMs = await this.redis.exotelBudgetTake(budget, limit, periodMs, randomUUID());
    return retryInMs === 0 ? { granted: true } : { granted: false, retryInMs };
  }

  override async close(): Promise<void> {
    if (this.redis.status === 'end') return;
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
