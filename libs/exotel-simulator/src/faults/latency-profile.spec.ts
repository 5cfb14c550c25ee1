import { SeededRandom } from '../support/random';
import { EXOTEL_CONNECT_LATENCY, sampleLatency } from './latency-profile';

describe('sampleLatency', () => {
  it("matches Exotel's published Calls/connect percentiles", () => {
    const random = new SeededRandom(1);
    const draws = Array.from({ length: 50_000 }, () => sampleLatency(EXOTEL_CONNECT_LATENCY, random)).sort(
      (a, b) => a - b,
    );
    const at = (p: number): number => draws[Math.floor(p * draws.length)];
    expect(at(0.5)).toBeGreaterThan(480 * 0.95);
    expect(at(0.5)).toBeLessThan(480 * 1.05);
    expect(at(0.95)).toBeGreaterThan(1_100 * 0.93);
    expect(at(0.95)).toBeLessThan(1_100 * 1.07);
    expect(at(0.99)).toBeGreaterThan(2_500 * 0.85);
    expect(at(0.99)).toBeLessThan(2_500 * 1.15);
    expect(draws[0]).toBeGreaterThanOrEqual(180);
    expect(draws[draws.length - 1]).toBeLessThanOrEqual(30_000);
  });

  it('is deterministic for a seed', () => {
    const a = new SeededRandom('x');
    const b = new SeededRandom('x');
    for (let i = 0; i < 100; i++)
      expect(sampleLatency(EXOTEL_CONNECT_LATENCY, a)).toBe(sampleLatency(EXOTEL_CONNECT_LATENCY, b));
  });
});
