import { EXOTEL_OPTION_DEFAULTS, OPTION_DEFAULTS } from './exotel-options.defaults';
import { resolveExotelOptions } from './resolve-exotel-options';

const credentials = { apiKey: 'k', apiToken: 't', accountSid: 'a' };

/** Each value of `tree` that is not an object, with its dotted path. */
function leaves(tree: object, prefix = ''): [string, unknown][] {
  return Object.entries(tree).flatMap(([key, value]): [string, unknown][] =>
    value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0
      ? leaves(value as object, `${prefix}${key}.`)
      : [[`${prefix}${key}`, value]],
  );
}

function valueAt(value: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], value);
}

describe('OPTION_DEFAULTS', () => {
  // With Kafka given (its least), so the defaults of `events.kafka` apply too.
  const resolved = resolveExotelOptions({ credentials, events: { kafka: { brokers: ['kafka-1:9092'] } } });

  it('holds only defaults the schema applies, each as it applies it', () => {
    const wrong = leaves(OPTION_DEFAULTS)
      .filter(([path, value]) => JSON.stringify(valueAt(resolved, path)) !== JSON.stringify(value))
      .map(
        ([path, value]) =>
          `${path}: ${JSON.stringify(value)}, resolved ${JSON.stringify(valueAt(resolved, path))}`,
      );
    expect(wrong).toEqual([]);
  });

  it('gives the published EXOTEL_OPTION_DEFAULTS their values', () => {
    const { eventSource, ...rest } = EXOTEL_OPTION_DEFAULTS;
    const wrong = leaves(rest)
      .filter(([path, value]) => valueAt(OPTION_DEFAULTS, path) !== value)
      .map(([path]) => path);
    expect(wrong).toEqual([]);
    expect(eventSource).toBe(OPTION_DEFAULTS.events.source);
  });
});
