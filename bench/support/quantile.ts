/**
 * The `q` quantile (0-1) of ascending `sorted` values, nearest rank; `empty` when there are none.
 * Every benchmark reports its percentiles through this, so their figures compare.
 */
export function quantile(sorted: ArrayLike<number>, q: number, empty = 0): number {
  return sorted.length === 0 ? empty : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
