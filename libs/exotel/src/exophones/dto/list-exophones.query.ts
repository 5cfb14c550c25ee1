import { ApiPropertyOptional } from '../../http/openapi.decorators';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import type { CallDirection, ExoPhoneHealthState } from '../exophone-health.types';

const STATES: readonly ExoPhoneHealthState[] = [
  'active',
  'partial_network_outage',
  'major_outage',
  'unknown',
];
const DIRECTIONS: readonly CallDirection[] = ['incoming', 'outgoing'];

/** Query of `GET /exophones`. */
export class ListExoPhonesQuery {
  @ApiPropertyOptional({
    enum: STATES,
    description: 'Only ExoPhones in this state (in `direction`, or in either)',
  })
  @IsOptional()
  @IsIn(STATES)
  state?: ExoPhoneHealthState;

  @ApiPropertyOptional({ enum: DIRECTIONS })
  @IsOptional()
  @IsIn(DIRECTIONS)
  direction?: CallDirection;

  @ApiPropertyOptional({ description: 'Telecom circle, e.g. MH' })
  @IsOptional()
  @IsString()
  @Length(1, 10)
  region?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 5000, default: 500, description: 'Page size (by SID)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(5000)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, default: 0, description: 'Items to skip' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}
