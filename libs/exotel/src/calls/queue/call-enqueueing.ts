import { Injectable } from '@nestjs/common';
import { ValidationFailedError } from '../../errors/http-request.errors';
import { ExotelClock } from '../../jobs/exotel-clock';
import type { ResolvedExotelOptions } from '../../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../../options/inject-exotel-options.decorator';
import { isUniqueViolation } from '../../persistence/unique-violation';
import { CallBatchInvalidError, CallRequestError, type CallBatchRowProblem } from '../call.errors';
import { prepareCall, type ConnectCallInput } from '../call-request';
import { IdempotentReplay } from '../idempotent-replay';
import { CallQueue, type CallToQueue } from './call-queue';
import { toQueuedCallView } from './call-queue-views';
import type { CallBatchInput, CallBatchView, EnqueueOptions, QueuedCallView } from './call-queue.types';

const DEFAULT_PRIORITY = 5;
// A call is not queued for later than this: a typo in a year must not park it for good.
const MAX_NOT_BEFORE_MS = 31 * 86_400_000;

/**
 * Checks calls before they are queued, as `connect()` checks them (all but TRAI's hours, which a
 * queued promotional call waits for instead), and hands them to the queue.
 */
@Injectable()
export class CallEnqueueing {
  constructor(
    @InjectExotelOptions('calls') private readonly calls: ResolvedExotelOptions['calls'],
    @InjectExotelOptions('applets') private readonly applets: ResolvedExotelOptions['applets'],
    @InjectExotelOptions('credentials') private readonly credentials: ResolvedExotelOptions['credentials'],
    private readonly clock: ExotelClock,
    private readonly replay: IdempotentReplay,
    private readonly queue: CallQueue,
  ) {}

  /** Queues one call; throws `CallRequestError` / `ValidationFailedError` with nothing queued. */
  async enqueue(input: ConnectCallInput, options: EnqueueOptions = {}): Promise<QueuedCallView> {
    const call = this.check(input, options);
    try {
      const { queued } = await this.queue.add([call], { batchId: options.batchId });
      return toQueuedCallView(queued[0]);
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ValidationFailedError([{ field: 'idempotencyKey', message: 'was queued before' }]);
      throw error;
    }
  }

  /** Queues a batch, all or nothing; throws `CallBatchInvalidError` listing every bad call. */
  async enqueueBatch(batch: CallBatchInput): Promise<CallBatchView> {
    const max = this.calls.queue.maxBatchSize;
    if (batch.calls.length === 0 || batch.calls.length > max)
      throw new ValidationFailedError([{ field: 'calls', message: `must hold 1 to ${max} calls` }]);
    const problems: CallBatchRowProblem[] = [];
    const checked: CallToQueue[] = [];
    batch.calls.forEach((input, index) => {
      try {
        checked.push(this.check({ ...input, purpose: batch.purpose }, { notBefore: batch.notBefore }));
      } catch (error) {
        if (!(error instanceof CallRequestError)) throw error;
        problems.push({ index, field: error.field, code: error.code, message: error.message });
      }
    });
    if (problems.length > 0) throw new CallBatchInvalidError(problems);
    const { batchId } = await this.queue.add(checked, {
      newBatch: { name: batch.name ?? null, purpose: batch.purpose },
    });
    return this.queue.batch(batchId!);
  }

  private check(input: ConnectCallInput, options: EnqueueOptions): CallToQueue {
    const { calls, applets, credentials } = this;
    const prepared = prepareCall(input, { calls, applets, credentials }, null);
    this.replay.requestHash(options.idempotencyKey, prepared);
    const priority = options.priority ?? DEFAULT_PRIORITY;
    if (!Number.isInteger(priority) || priority < 0 || priority > 9)
      throw new CallRequestError(
        'INVALID_CALL_OPTION',
        'priority',
        'priority must be a whole number from 0 to 9.',
      );
    const notBefore = options.notBefore ?? this.clock.now();
    if (!(notBefore instanceof Date) || Number.isNaN(notBefore.getTime()))
      throw new CallRequestError('INVALID_CALL_OPTION', 'notBefore', 'notBefore must be an instant.');
    if (notBefore.getTime() > this.clock.now().getTime() + MAX_NOT_BEFORE_MS)
      throw new CallRequestError('INVALID_CALL_OPTION', 'notBefore', 'notBefore must be within 31 days.');
    return { input, idempotencyKey: options.idempotencyKey, notBefore, priority };
  }
}
