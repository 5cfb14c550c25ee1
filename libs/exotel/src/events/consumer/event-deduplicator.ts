import { LRUCache } from 'lru-cache';

/**
 * Remembers event ids so a redelivered event (Kafka delivers at least once) reaches handlers once.
 * Provide your own (e.g. backed by a database table) for dedupe that survives restarts.
 */
export interface EventDeduplicator {
  /** Records `id`; resolves to true when it had been seen before. */
  seenBefore(id: string): boolean | Promise<boolean>;
}

/** Remembers the most recent `capacity` event ids in memory. */
export class RecentEventIds implements EventDeduplicator {
  private readonly ids: LRUCache<string, true>;

  constructor(capacity: number) {
    this.ids = new LRUCache({ max: Math.max(1, capacity) });
  }

  seenBefore(id: string): boolean {
    if (this.ids.has(id)) return true;
    this.ids.set(id, true);
    return false;
  }
}
