import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** What to load: one request, repeated over keep-alive connections. */
export interface LoadSpec {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** Requests kept in flight (one per connection). */
  readonly connections: number;
  /** Load before measuring starts. */
  readonly warmupMs: number;
  /** Measured time. */
  readonly durationMs: number;
}

/** What the load generator measured. */
export interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** Answers by HTTP status (`error` for failed requests). */
  readonly statuses: Record<string, number>;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** Runs the load in a worker thread (compiled `http-load.worker.js` beside this file). */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(join(__dirname, 'http-load.worker.js'), { workerData: spec });
    worker.once('message', (result: LoadResult) => {
      void worker.terminate();
      resolve(result);
    });
    worker.once('error', reject);
  });
}
