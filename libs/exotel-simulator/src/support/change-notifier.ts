/** Thrown by `waitFor` when the condition did not hold in time. */
export class SimulatorWaitTimeoutError extends Error {
  override readonly name = 'SimulatorWaitTimeoutError';
}

/**
 * Wakes waiters whenever the simulator records something (a request, a call change, a callback or
 * heartbeat delivery), so tests wait for a condition instead of sleeping.
 */
export class ChangeNotifier {
  private readonly listeners = new Set<() => void>();

  /** Tells every waiter to look again. */
  notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /**
   * Resolves with the first truthy value `probe` returns, checked now and after every change;
   * rejects with `SimulatorWaitTimeoutError` after `timeoutMs` (real time).
   */
  waitFor<T>(
    probe: () => T | undefined | null | false,
    timeoutMs = 5_000,
    description = 'the condition',
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = (): boolean => {
        let value: T | undefined | null | false;
        try {
          value = probe();
        } catch (error) {
          finish();
          reject(error instanceof Error ? error : new Error(String(error)));
          return true;
        }
        if (!value) return false;
        finish();
        resolve(value);
        return true;
      };
      const timer = setTimeout(() => {
        finish();
        reject(new SimulatorWaitTimeoutError(`Timed out after ${timeoutMs} ms waiting for ${description}`));
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      const listener = (): void => void check();
      this.listeners.add(listener);
      check();
    });
  }
}
