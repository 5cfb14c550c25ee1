import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
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
}
