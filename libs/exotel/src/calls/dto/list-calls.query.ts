import { ApiPropertyOptional } from '../../http/openapi.decorators';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { LimitQuery } from '../../http/limit.query';
import type { CallOutcome } from '../call.entity';

const OUTCOMES: readonly CallOutcome[] = ['initiated', 'failed', 'unknown'];
const STATUSES = [
  'requested',
  'initiated',
  'failed',
  'unknown',
  'answered',
  'in-progress',
  'completed',
  'busy',
  'no-answer',
  'canceled',
] as const;

/** Query of `GET /calls`. */
export class ListCallsQuery extends LimitQuery {
  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  status?: string;

  @ApiPropertyOptional({ enum: OUTCOMES })
  @IsOptional()
  @IsIn(OUTCOMES)
  outcome?: CallOutcome;

  @ApiPropertyOptional({ description: "Exotel's CallSid" })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  callSid?: string;
}
