import type { SeededRandom } from '../support/random';

/**
 * Calls/connect response times as quantiles: `[probability, milliseconds]`, rising in both. A draw
 * interpolates log-linearly between neighbouring points, so the listed quantiles hold exactly.
 */
export type LatencyQuantiles = readonly (readonly [number, number])[];

/**
 * Exotel's published Calls/connect latency (average ~480 ms, p95 ~1.1 s, p99 ~2.5 s, "up to 30
 * seconds in the worst case"), read as p50/p95/p99 with a thin tail to 30 s.
 */
export const EXOTEL_CONNECT_LATENCY: LatencyQuantiles = [
  [0, 180],
  [0.5, 480],
  [0.95, 1_100],
  [0.99, 2_500],
  [0.999, 8_000],
  [1, 30_000],
];

/** One latency draw in (simulated) milliseconds. */
export function sampleLatency(quantiles: LatencyQuantiles, random: SeededRandom): number {
  const u = random.next();
  for (let i = 1; i < quantiles.length; i++) {
    const [p1, ms1] = quantiles[i];
    if (u > p1 && i < quantiles.length - 1) continue;
    const [p0, ms0] = quantiles[i - 1];
    const t = p1 === p0 ? 0 : Math.min(1, Math.max(0, (u - p0) / (p1 - p0)));
    return Math.exp(Math.log(ms0) + t * (Math.log(ms1) - Math.log(ms0)));
  }
  return quantiles[quantiles.length - 1][1];
}
