/** How many times each aggregate occurs in `aggregates`. */
export function countAggregates(aggregates: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const aggregate of aggregates) counts.set(aggregate, (counts.get(aggregate) ?? 0) + 1);
  return counts;
}

/**
 * Hands out the sequence numbers a counter upsert reserved: each aggregate advanced by its count
 * (`counts`) to `last`, so its occurrences take `last - count + 1` onwards, in the order asked.
 */
export function handOutSequences(
  counts: ReadonlyMap<string, number>,
  reserved: Iterable<{ readonly aggregate: string; readonly last: number }>,
): (aggregate: string) => number {
  const next = new Map<string, number>();
  for (const { aggregate, last } of reserved) next.set(aggregate, last - counts.get(aggregate)! + 1);
  return (aggregate) => {
    const sequence = next.get(aggregate)!;
    next.set(aggregate, sequence + 1);
    return sequence;
  };
}
