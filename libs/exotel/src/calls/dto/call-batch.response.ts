import { ApiProperty } from '../../http/openapi.decorators';
import type { CallBatchView } from '../queue/call-queue.types';

/** Calls of a batch by state. */
export class CallBatchCountsResponse {
  @ApiProperty() queued!: number;
  @ApiProperty() placed!: number;
  @ApiProperty() cancelled!: number;
  @ApiProperty() failed!: number;
}

/** A call batch: counts by state, progress and ETA. */
export class CallBatchResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty({ enum: ['transactional', 'promotional'] }) purpose!: string;
  @ApiProperty() total!: number;
  @ApiProperty({ type: CallBatchCountsResponse }) counts!: CallBatchCountsResponse;
  @ApiProperty({ description: 'Share of the calls placed, cancelled or failed, 0 to 1' }) progress!: number;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description: "When the queued calls should all be placed at the account's voice budget",
  })
  eta!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) completedAt!: string | null;
}

/** The API shape of a batch view. */
export function toCallBatchResponse(view: CallBatchView): CallBatchResponse {
  return {
    ...view,
    counts: { ...view.counts },
    eta: view.eta?.toISOString() ?? null,
    createdAt: view.createdAt.toISOString(),
    completedAt: view.completedAt?.toISOString() ?? null,
  };
}
