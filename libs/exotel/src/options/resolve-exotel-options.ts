import { ExotelConfigurationError, type ConfigurationProblem } from '../errors/exotel-configuration.error';
import type { MountedController } from './mounted-controller';
import { dottedPath, toConfigurationProblems } from './configuration-problems';
import { MIN_WEBHOOK_SECRET_LENGTH } from './exotel-options.defaults';
import type { ResolvedExotelOptions } from './exotel-module-options.interface';
import { exotelOptionsSchema, type ParsedExotelOptions } from './exotel-options.schema';

/**
 * Applies defaults to the options a host passed, validates them together with the controllers the
 * module mounts, and returns a deep-frozen result. Throws one `ExotelConfigurationError` that lists
 * every problem found, never just the first.
 */
export function resolveExotelOptions(
  input: unknown,
  mounted: readonly MountedController[] = [],
  extraProblems: readonly ConfigurationProblem[] = [],
): ResolvedExotelOptions {
  const problems: ConfigurationProblem[] = [...extraProblems];
  const parsed = exotelOptionsSchema.safeParse(input);
  if (!parsed.success) problems.push(...toConfigurationProblems(parsed.error, dottedPath));
  // On the input as given, so they are reported in the same pass as the schema's problems.
  problems.push(...crossChecks(input, mounted));
  if (problems.length > 0 || !parsed.success) throw new ExotelConfigurationError(problems);
  return deepFreeze(withDerivedUrls(parsed.data, mounted));
}

/** How many entries `input[group][list]` has, as given (0 when absent or not a list). */
function countOf(input: unknown, group: string, list: string): number {
  const value = (input as Record<string, Record<string, unknown> | undefined> | undefined)?.[group]?.[list];
  return Array.isArray(value) ? value.length : 0;
}

function crossChecks(input: unknown, mounted: readonly MountedController[]): ConfigurationProblem[] {
  const problems: ConfigurationProblem[] = [];
  const webhooks = mounted.filter((c) => c.kind === 'webhook').map((c) => c.name);
  if (webhooks.length > 0 && countOf(input, 'webhooks', 'secrets') === 0) {
    problems.push({
      path: 'webhooks.secrets',
      problem: `no webhook secret is set but webhook controllers are mounted (${webhooks.join(', ')})`,
      fix:
        `set at least one random secret of ${MIN_WEBHOOK_SECRET_LENGTH}+ characters and put it in the URLs ` +
        'you give Exotel (?key=...), or disable those controllers in the module extras',
    });
  }
  const management = mounted.filter((c) => c.kind === 'management').map((c) => c.name);
  if (management.length > 0 && countOf(input, 'management', 'apiKeys') === 0) {
    problems.push({
      path: 'management.apiKeys',
      problem: `no API key is set but management controllers are mounted (${management.join(', ')})`,
      fix: 'set at least one key (clients send it as "Authorization: Bearer <key>") or disable those controllers',
    });
  }
  const rateLimit = (input as { rateLimit?: { store?: unknown; redisUrl?: unknown } } | undefined)?.rateLimit;
  if (rateLimit?.store === 'redis' && rateLimit.redisUrl === undefined) {
    problems.push({
      path: 'rateLimit.redisUrl',
      problem: "is missing but rateLimit.store is 'redis'",
      fix: "set the Redis URL (env REDIS_URL in the service), or choose store 'auto' or 'database'",
    });
  }
  return problems;
}

/**
 * The Exotel base URL from the subdomain, and the status callback URL from `webhooks.publicBaseUrl`
 * and the mounted status callback route (its secret in the query, as Exotel signs nothing).
 */
function withDerivedUrls(
  options: ParsedExotelOptions,
  mounted: readonly MountedController[],
): ResolvedExotelOptions {
  const baseUrl = (options.baseUrl ?? `https://${options.subdomain}`).replace(/\/+$/, '');
  const route = mounted.find((c) => c.name === 'statusCallbacks');
  const publicBaseUrl = options.webhooks.publicBaseUrl?.replace(/\/+$/, '');
  const derived =
    publicBaseUrl && route && options.webhooks.secrets.length > 0
      ? `${publicBaseUrl}/${route.path}?key=${encodeURIComponent(options.webhooks.secrets[0])}`
      : undefined;
  return {
    ...options,
    baseUrl,
    calls: { ...options.calls, statusCallbackUrl: options.calls.statusCallbackUrl ?? derived },
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
