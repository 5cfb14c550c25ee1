/**
 * Polls `probe` until it answers something truthy and resolves to that; throws when `timeoutMs`
 * passes first. For conditions reached by background work (jobs, webhooks, relays), never as a
 * measure of speed: the timeout is a hang guard.
 */
export async function until<T>(
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 20_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
