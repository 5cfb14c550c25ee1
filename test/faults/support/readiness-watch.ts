import type { ServiceProcess } from './service-process';

/** One poll of `/health/ready`, reduced to what the scenarios read. */
export interface ReadinessSample {
  /** `Date.now()` when the answer came. */
  readonly at: number;
  /** The outbox indicator's status (`up`, `degraded`), or `unanswered` when the poll failed. */
  readonly outbox: string;
  readonly kafkaConnection?: string;
  readonly inProcessPending?: number;
  readonly inProcessOldestSeconds?: number;
}

/** Polls a service's readiness in the background and keeps every sample. */
export class ReadinessWatch {
  readonly samples: ReadinessSample[] = [];
  private running = true;
  private readonly loop: Promise<void>;

  constructor(
    private readonly service: ServiceProcess,
    intervalMs = 250,
  ) {
    this.loop = (async () => {
      while (this.running) {
        this.samples.push(await this.sample());
        await new Promise((resolve) => setTimeout(resolve, intervalMs));
      }
    })();
  }

  /** Samples taken from `from` (inclusive) to `to` (exclusive). */
  between(from: number, to = Infinity): ReadinessSample[] {
    return this.samples.filter((s) => s.at >= from && s.at < to);
  }

  /** Milliseconds from `from` to the first sample at or after it that `holds`; undefined if none yet. */
  firstAfter(from: number, holds: (sample: ReadinessSample) => boolean): number | undefined {
    const hit = this.between(from).find(holds);
    return hit ? hit.at - from : undefined;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async sample(): Promise<ReadinessSample> {
    try {
      const response = await fetch(`${this.service.url}/health/ready`, {
        signal: AbortSignal.timeout(2_000),
      });

      const body = await response.json();
      const outbox = body?.details?.outbox ?? {};
      return {
        at: Date.now(),
        outbox: String(outbox.status ?? 'missing'),
        kafkaConnection: outbox.kafkaConnection,
        inProcessPending: outbox.inProcess?.pending,
        inProcessOldestSeconds: outbox.inProcess?.oldestPendingSeconds,
      };
    } catch {
      return { at: Date.now(), outbox: 'unanswered' };
    }
  }
}
