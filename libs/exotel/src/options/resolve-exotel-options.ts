import { ExotelConfigurationError, type ConfigurationProblem } from '../errors/exotel-configuration.error';
import type { MountedController } from '../http/exotel-controller-registry';
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
  if (!parsed.success) {
    problems.push(...toConfigurationProblems(parsed.error, dottedPath));
  } else {
    problems.push(...crossChecks(parsed.data, mounted));
  }
  if (problems.length > 0 || !parsed.success) throw new ExotelConfigurationError(problems);
  return deepFreeze(withBaseUrl(parsed.data));
}

function crossChecks(
  options: ParsedExotelOptions,
  mounted: readonly MountedController[],
): ConfigurationProblem[] {
  const problems: ConfigurationProblem[] = [];
  const webhooks = mounted.filter((c) => c.kind === 'webhook').map((c) => c.name);
  if (webhooks.length > 0 && options.webhooks.secrets.length === 0) {
    problems.push({
      path: 'webhooks.secrets',
      problem: `no webhook secret is set but webhook controllers are mounted (${webhooks.join(', ')})`,
      fix:
        `set at least one random secret of ${MIN_WEBHOOK_SECRET_LENGTH}+ characters and put it in the URLs ` +
        'you give Exotel (?key=...), or disable those controllers in the module extras',
    });
  }
  const management = mounted.filter((c) => c.kind === 'management').map((c) => c.name);
  if (management.length > 0 && options.management.apiKeys.length === 0) {
    problems.push({
      path: 'management.apiKeys',
      problem: `no API key is set but management controllers are mounted (${management.join(', ')})`,
      fix: 'set at least one key (clients send it as "Authorization: Bearer <key>") or disable those controllers',
    });
  }
  return problems;
}

function withBaseUrl(options: ParsedExotelOptions): ResolvedExotelOptions {
  const baseUrl = (options.baseUrl ?? `https://${options.subdomain}`).replace(/\/+$/, '');
  return { ...options, baseUrl };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
