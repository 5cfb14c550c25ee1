import DataLoader from 'dataloader';

/** How `GroupCommit` writes. */
export interface GroupCommitOptions<I, O> {
  /** Writes a whole batch, all or nothing (one transaction): a result per item, in order. */
  readonly writeTogether: (items: readonly I[]) => Promise<readonly O[]>;
  /** Writes one item (a batch of one, or an item of a batch that was split). */
  readonly writeAlone: (item: I) => Promise<O>;
  /**
   * True when `writeTogether`'s error may be one item's doing (a unique key taken, say): the batch
   * is then written again item by item, so the error reaches that item's caller only. Any other
   * error (the database is down, the commit's answer was lost) is every item's answer: writing
   * again could repeat a commit that happened.
   */
  readonly splitOn: (error: unknown) => boolean;
  /** @default 100 */
  readonly maxBatchSize?: number;
}

/**
 * Group commit: items handed in while a batch is being written wait, and are written together as
 * the next batch once the one in progress ends. One caller pays for one transaction; fifty
 * concurrent callers share a handful. A batch goes once the event loop has taken in what is ready
 * (`setImmediate`, microseconds), so a lone caller is written at once, and callers whose replies
 * arrived together (from Exotel, from the database) are written together, even on a synchronous
 * database that never lets the event loop run during a transaction.
 *
 * Batches are written one at a time, in order. Batching itself is DataLoader's (without its
 * cache); this class decides when a batch goes and what happens when it fails.
 */
export class GroupCommit<I, O> {
  private readonly loader: DataLoader<I, O>;
  // Settled when the last batch opened so far has been written.
  private tail: Promise<unknown> = Promise.resolve();
  // The batch started last (DataLoader starts it synchronously, from `dispatch`).
  private started: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: GroupCommitOptions<I, O>) {
    this.loader = new DataLoader<I, O>((items) => this.start(items), {
      cache: false,
      maxBatchSize: options.maxBatchSize ?? 100,
      // Called as a batch opens: it collects items until the batches before it have been written.
      batchScheduleFn: (dispatch) => {
        this.tail = this.tail.then(
          () =>
            new Promise((written) =>
              setImmediate(() => {
                dispatch();
                written(this.started);
              }),
            ),
        );
      },
    });
  }

  /** Writes `item` with the next batch; resolves to its result. */
  write(item: I): Promise<O> {
    return this.loader.load(item);
  }

  private start(items: readonly I[]): Promise<readonly (O | Error)[]> {
    // writeBatch never rejects (every failure is an item's result), so neither does the tail.
    const results = this.writeBatch(items);
    this.started = results;
    return results;
  }

  private async writeBatch(items: readonly I[]): Promise<readonly (O | Error)[]> {
    if (items.length === 1) return [await this.options.writeAlone(items[0]).catch(asError)];
    try {
      return await this.options.writeTogether(items);
    } catch (error) {
      if (!this.options.splitOn(error)) return items.map(() => asError(error));
      // One after the other, in the order they were handed in: the first of two items competing
      // for one key wins it, as it would have alone.
      const results: (O | Error)[] = [];
      for (const item of items) results.push(await this.options.writeAlone(item).catch(asError));
      return results;
    }
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
