import { ApiProperty, ApiPropertyOptional } from '../../http/openapi.decorators';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsRealInstant } from '../../http/edge-validators';
import { LimitQuery } from '../../http/limit.query';
import { SCOPE_PATTERN } from '../incident-scope';
import type { MaintenanceSource } from '../maintenance-windows.service';

const SOURCES: readonly MaintenanceSource[] = ['operator', 'exotel'];
const STATES = ['upcoming', 'active', 'ended'] as const;

/** Body of `POST /maintenance-windows`. */
export class CreateMaintenanceWindowDto {
  @ApiProperty({
    example: 'region:KA',
    description: 'exotel, api:latency, region:<circle> or exophone:<sid>',
  })
  @IsString()
  @Matches(SCOPE_PATTERN, { message: 'scope must be exotel, api:latency, region:<circle> or exophone:<sid>' })
  scope!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-24T01:00:00+05:30' })
  @IsRealInstant()
  startsAt!: string;

  @ApiProperty({
    format: 'date-time',
    example: '2026-11-24T04:00:00+05:30',
    description: 'After startsAt, in the future',
  })
  @IsRealInstant()
  endsAt!: string;

  @ApiProperty({ enum: SOURCES, description: 'Who announced the work: the operator or Exotel' })
  @IsIn(SOURCES)
  source!: MaintenanceSource;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  description?: string;
}

/** Query of `GET /maintenance-windows`. */
export class ListMaintenanceWindowsQuery extends LimitQuery {
  @ApiPropertyOptional({ enum: STATES })
  @IsOptional()
  @IsIn(STATES)
  state?: (typeof STATES)[number];
}

/** A maintenance window. */
export class MaintenanceWindowResponse {
  @ApiProperty()
  id!: string;

  @ApiProperty({ example: 'region:KA' })
  scope!: string;

  @ApiProperty({ enum: SOURCES })
  source!: MaintenanceSource;

  @ApiProperty({ format: 'date-time' })
  startsAt!: string;

  @ApiProperty({ format: 'date-time' })
  endsAt!: string;

  @ApiProperty({ nullable: true, type: String })
  description!: string | null;

  @ApiProperty({ enum: STATES })
  state!: (typeof STATES)[number];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

/** `GET /maintenance-windows`. */
export class MaintenanceWindowListResponse {
  @ApiProperty({ type: [MaintenanceWindowResponse] })
  items!: MaintenanceWindowResponse[];
}
