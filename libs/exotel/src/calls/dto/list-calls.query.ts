import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
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
export class ListCallsQuery {
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

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}
