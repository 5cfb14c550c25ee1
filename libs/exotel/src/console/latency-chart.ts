/** One bucket of the latency chart. */
interface LatencyBucket {
  /** Start of the bucket (ISO 8601). */
  readonly from: string;
  readonly samples: number;
  /** Null when the bucket holds no answer. */
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
}

/** Calls/connect latency over the last hour, next to the thresholds it is judged by. */
export interface LatencyChart {
  readonly bucketMinutes: number;
  readonly buckets: readonly LatencyBucket[];
  /** The `calls.latency` thresholds: Exotel's published 480 ms / 1.1 s / 2.5 s by default. */
  readonly thresholds: { readonly p50Ms: number; readonly p95Ms: number; readonly p99Ms: number };
}

/** A call's latency sample: when it was requested and how long Calls/connect took to answer. */
export interface LatencySample {
  readonly at: number;
  readonly latencyMs: number;
}

/**
 * The samples of the hour before `now`, in buckets of `bucketMinutes`, each with its percentiles
 * (nearest rank, as `CallLatencyWatch` computes the rolling ones).
 */
export function latencyChart(
  samples: readonly LatencySample[],
  now: number,
  thresholds: LatencyChart['thresholds'],
  bucketMinutes = 5,
): LatencyChart {
  const width = bucketMinutes * 60_000;
  const count = Math.ceil(60 / bucketMinutes);
  const start = Math.floor(now / width) * width - (count - 1) * width;
  const grouped: number[][] = Array.from({ length: count }, () => []);
  for (const sample of samples) {
    const index = Math.floor((sample.at - start) / width);
    if (index >= 0 && index < count) grouped[index].push(sample.latencyMs);
  }
  return {
    bucketMinutes,
    thresholds: { p50Ms: thresholds.p50Ms, p95Ms: thresholds.p95Ms, p99Ms: thresholds.p99Ms },
    buckets: grouped.map((values, index) => {
      const sorted = values.sort((a, b) => a - b);
      const at = (q: number) =>
        sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
      return {
        from: new Date(start + index * width).toISOString(),
        samples: sorted.length,
        p50Ms: at(0.5),
        p95Ms: at(0.95),
        p99Ms: at(0.99),
      };
    }),
  };
}
