import { Injectable } from '@nestjs/common';
import { ExotelJob } from '../jobs/exotel-job.decorator';
import { AbandonedCalls } from './abandoned-calls';
import { PendingCallDetails } from './pending-call-details';
import { SilentCallSettler } from './silent-call-settler';
import { UnknownCallSearch } from './unknown-call-search';

/** Name of the reconciliation job; `ExotelScheduler.runNow(CALL_RECONCILE_JOB)`. */
export const CALL_RECONCILE_JOB = 'exotel.calls.reconcile';

/** What one run did. */
export interface ReconcileRun {
  /** Calls whose Calls/connect never recorded an answer (the process stopped), now `unknown`. */
  readonly abandoned: number;
  readonly placed: number;
  readonly notPlaced: number;
  readonly gaveUp: number;
  /** Finished calls whose details (recording, duration, price) were read. */
  readonly detailsRead: number;
  /** Initiated calls without a terminal status callback that call details showed finished. */
  readonly settledSilent: number;
}

/**
 * Settles calls whose Calls/connect outcome is unknown, without ever re-sending them. Each run
 * marks calls whose Calls/connect answer was never recorded (the process stopped mid-request,
 * `AbandonedCalls`), looks a batch of unknown calls up in Exotel's call APIs (`UnknownCallSearch`),
 * reads the details of finished calls still missing them (`PendingCallDetails`), and completes
 * placed calls whose terminal callback never came (`SilentCallSettler`).
 *
 * It runs as a singleton job (a lease per tick), and every change re-reads the call under a row
 * lock and checks it is still unsettled, so a run racing a status callback or another replica
 * changes nothing twice.
 */
@Injectable()
export class CallReconciler {
  constructor(
    private readonly abandonedCalls: AbandonedCalls,
    private readonly unknownCalls: UnknownCallSearch,
    private readonly pendingDetails: PendingCallDetails,
    private readonly silentCalls: SilentCallSettler,
  ) {}

  /** One pass. */
  @ExotelJob({ name: CALL_RECONCILE_JOB, intervalMs: (options) => options.calls.reconcile.intervalMs })
  async run(): Promise<ReconcileRun> {
    const abandoned = await this.abandonedCalls.mark();
    const findings = await this.unknownCalls.search();
    const detailsRead = await this.pendingDetails.read();
    return { abandoned, ...findings, detailsRead, settledSilent: await this.silentCalls.settle() };
  }
}
