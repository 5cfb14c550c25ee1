import DataLoader from 'dataloader';

/**
 * Group commit: items handed in while a batch is being written wait, and are written together as
 * the next batch, as soon as the one in progress ends (or right away when none is). One caller pays
 * for one transaction; fifty concurrent callers share a handful. Nothing waits on a timer, so a lone
 * caller is written at once.
 *
 * `writeTogether` writes a whole batch, all or nothing (one transaction). When it fails for a batch
 * of several, each item is then written alone with `writeAlone`, in order, so one item's error (a
 * unique key taken, say) reaches its own caller only. Batching is DataLoader's (without its cache); this class only
 * decides when a batch goes: after the previous one.
 */
export class GroupCommit<I, O> {
  private readonly loader: DataLoader<I, O>;
  private previous: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly writeTogether: (items: readonly I[]) => Promise<readonly O[]>,
    private readonly writeAlone: (item: I) => Promise<O>,
    maxBatchSize = 100,
  ) {
    this.loader = new DataLoader<I, O>((items) => this.start(items), {
      cache: false,
      maxBatchSize,
      // Called when a batch opens: it collects items until the batch before it has been written.
      batchScheduleFn: (dispatch) => void this.previous.then(() => process.nextTick(dispatch)),
    });
  }

  /** Writes `item` with the next batch; resolves to its result. */
  write(item: I): Promise<O> {
    return this.loader.load(item);
  }

  private start(items: readonly I[]): Promise<readonly (O | Error)[]> {
    const written = this.writeBatch(items);
    this.previous = written;
    return written;
  }

  private async writeBatch(items: readonly I[]): Promise<readonly (O | Error)[]> {
    if (items.length === 1) return [await this.writeAlone(items[0]).catch(asError)];
    try {
      return await this.writeTogether(items);
    } catch {
      // One after the other, in the order they were handed in: the first of two items competing
      // for one key wins it, as it would have alone.
      const results: (O | Error)[] = [];
      for (const item of items) results.push(await this.writeAlone(item).catch(asError));
      return results;
    }
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
