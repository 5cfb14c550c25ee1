import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsOptionalNotNull, IsRealInstant } from '../../http/edge-validators';
import { ApiProperty, ApiPropertyOptional } from '../../http/openapi.decorators';
import { CreateCallDto } from './create-call.dto';

// The route's own hard ceiling (the options' calls.queue.maxBatchSize may set a lower one).
const MOST_CALLS = 10_000;

/** Body of `POST /calls/batches`. */
export class CreateCallBatchDto {
  @ApiProperty({
    type: [CreateCallDto],
    description:
      'Up to 10,000 calls (without `wait` or `purpose`: the batch says both), checked all or nothing',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MOST_CALLS)
  @ValidateNested({ each: true })
  @Type(() => CreateCallDto)
  calls!: CreateCallDto[];

  @ApiProperty({
    enum: ['transactional', 'promotional'],
    description: 'Promotional calls due outside 09:00-21:00 IST wait for the next window (TRAI)',
  })
  @IsIn(['transactional', 'promotional'])
  purpose!: 'transactional' | 'promotional';

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'None placed before this instant (within 31 days)',
  })
  @IsOptionalNotNull()
  @IsRealInstant()
  notBefore?: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(100)
  name?: string;
}
