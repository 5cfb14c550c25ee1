/**
 * An append-only list that keeps the most recent `capacity` entries, so a long run (a benchmark, a
 * demo left running) does not grow without bound.
 */
export class BoundedLog<T> {
  private items: T[] = [];

  constructor(private readonly capacity: number) {}

  push(item: T): void {
    this.items.push(item);
    // Trim in batches: one slice per `capacity` pushes keeps push amortised O(1).
    if (this.items.length >= this.capacity * 2) this.items = this.items.slice(-this.capacity);
  }

  /** The kept entries, oldest first (a copy). */
  list(): T[] {
    return this.items.length > this.capacity ? this.items.slice(-this.capacity) : [...this.items];
  }

  clear(): void {
    this.items = [];
  }
}
