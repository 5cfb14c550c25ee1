import { ApiProperty, ApiPropertyOptional } from '../../http/openapi.decorators';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsOptionalNotNull, IsRealInstant } from '../../http/edge-validators';
import { SUPPORT_PLANS, type SupportPlan, type TicketSeverity } from '../sla-policy';
import type { IncidentKind } from '../support-sla.types';

const INCIDENT_KINDS: readonly IncidentKind[] = ['outage', 'degraded_performance'];
/** A year of minutes: larger targets are typing mistakes. */
const MAX_TARGET_MINUTES = 525_600;

/** The incident a ticket is about. */
export class TicketIncidentDto {
  @ApiProperty({ description: 'Incident id', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  id!: string;

  @ApiProperty({
    enum: INCIDENT_KINDS,
    description: 'outage: severity 1 (calls cannot complete); degraded_performance: severity 2 (API slow)',
  })
  @IsIn(INCIDENT_KINDS)
  kind!: IncidentKind;
}

/** An integration's own SLA, replacing Exotel's targets for this ticket. */
export class ThirdPartySlaDto {
  @ApiProperty({ description: 'The integration whose SLA applies', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  integration!: string;

  @ApiProperty({ description: 'Minutes of coverage time to acknowledge', minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(MAX_TARGET_MINUTES)
  acknowledgementMinutes!: number;

  @ApiProperty({ description: 'Minutes of coverage time to respond', minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(MAX_TARGET_MINUTES)
  responseMinutes!: number;
}

/** Body of `POST /tickets`. */
export class CreateTicketDto {
  @ApiProperty({ maxLength: 200, example: 'Outbound calls fail on the Mumbai ExoPhones' })
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'title must not be blank' })
  title!: string;

  @ApiPropertyOptional({
    type: Number,
    minimum: 1,
    maximum: 4,
    description: "Exotel's severity level; required unless `incident` is given to derive it from",
  })
  @ValidateIf((body: CreateTicketDto) => body.incident === undefined || body.severity !== undefined)
  @IsInt({ message: 'severity must be a whole number 1-4 (required unless incident is given)' })
  @Min(1)
  @Max(4)
  severity?: TicketSeverity;

  @ApiPropertyOptional({ enum: SUPPORT_PLANS, description: 'Support plan; default SUPPORT_PLAN' })
  @IsOptional()
  @IsIn(SUPPORT_PLANS)
  plan?: SupportPlan;

  @ApiPropertyOptional({
    format: 'date-time',
    description:
      'When the ticket really opened (imported tickets); ISO 8601 with offset, not in the future nor older than support.maxTicketAgeMs',
  })
  @IsOptionalNotNull()
  @IsRealInstant()
  openedAt?: string;

  @ApiPropertyOptional({ type: TicketIncidentDto })
  @IsOptionalNotNull()
  // An object, not a list: an array would pass ValidateNested with nothing in it.
  @IsObject()
  @ValidateNested()
  @Type(() => TicketIncidentDto)
  incident?: TicketIncidentDto;

  @ApiPropertyOptional({ type: ThirdPartySlaDto })
  @IsOptionalNotNull()
  // An object, not a list: an array would pass ValidateNested with nothing in it.
  @IsObject()
  @ValidateNested()
  @Type(() => ThirdPartySlaDto)
  thirdPartySla?: ThirdPartySlaDto;
}
