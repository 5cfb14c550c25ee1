import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * POSTs a JSON body from a worker thread and resolves to the milliseconds until the whole answer
 * arrived. The client runs on its own event loop, as Exotel would, so work the server does on its
 * thread after answering does not delay the measurement.
 */
export function timedPost(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(join(__dirname, 'timed-post.worker.js'), { workerData: { url, body } });
    worker.once('message', (result: { ms: number; status: number; error?: string }) => {
      void worker.terminate();
      if (result.status === 200) resolve(result.ms);
      else reject(new Error(`POST answered ${result.error ?? result.status}`));
    });
    worker.once('error', reject);
  });
}
