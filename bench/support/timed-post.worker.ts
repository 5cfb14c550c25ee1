import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';

/** One JSON POST, timed from the first byte sent to the last byte of the answer. */
async function post({ url, body }: { url: string; body: string }): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body,
  });
  await response.text();
  return { ms: performance.now() - started, status: response.status };
}

post(workerData as { url: string; body: string }).then(
  (result) => parentPort!.postMessage(result),
  (error: unknown) => parentPort!.postMessage({ ms: Number.NaN, status: 0, error: String(error) }),
);
