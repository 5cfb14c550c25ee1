import { ApiProperty, ApiPropertyOptional } from '../../http/openapi.decorators';
import { IsBoolean, IsIn, IsOptional, IsString, IsUrl, Length, Matches, ValidateIf } from 'class-validator';
import { LimitQuery } from '../../http/limit.query';
import { SCOPE_PATTERN } from '../incident-scope';
import type { IncidentKindName, IncidentOrigin, IncidentStatus } from '../incident.types';

const KINDS: readonly IncidentKindName[] = ['outage', 'degraded_performance'];
const ORIGINS: readonly IncidentOrigin[] = ['operator', 'exotel', 'unknown'];
const STATUSES: readonly IncidentStatus[] = ['open', 'resolved'];
const SCOPE_MESSAGE = 'scope must be exotel, api:latency, region:<circle> or exophone:<sid>';
const NOT_BLANK = /\S/;

/** Body of `POST /incidents`. */
export class CreateIncidentDto {
  @ApiProperty({
    example: 'region:KA',
    description: 'exotel, api:latency, region:<circle> or exophone:<sid>',
  })
  @IsString()
  @Matches(SCOPE_PATTERN, { message: SCOPE_MESSAGE })
  scope!: string;

  @ApiPropertyOptional({ enum: KINDS, default: 'outage' })
  @IsOptional()
  @IsIn(KINDS)
  kind?: IncidentKindName;

  @ApiPropertyOptional({
    maxLength: 200,
    description: 'Default: what and where, e.g. "Outage: ExoPhones in region KA"',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @Matches(NOT_BLANK, { message: 'title must not be blank' })
  title?: string;

  @ApiPropertyOptional({ maxLength: 2000, description: 'What was seen; the first timeline entry' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string;

  @ApiPropertyOptional({
    enum: ORIGINS,
    description: 'Classify by hand (default: by the scope and maintenance windows)',
  })
  @IsOptional()
  @IsIn(ORIGINS)
  origin?: IncidentOrigin;

  @ApiPropertyOptional({
    description: 'Classify by hand (default: planned inside a maintenance window in force)',
  })
  @IsOptional()
  @IsBoolean()
  planned?: boolean;
}

/** Query of `GET /incidents`. */
export class ListIncidentsQuery extends LimitQuery {
  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  status?: IncidentStatus;

  @ApiPropertyOptional({ example: 'exotel' })
  @IsOptional()
  @IsString()
  @Matches(SCOPE_PATTERN, { message: SCOPE_MESSAGE })
  scope?: string;
}

/** Body of `POST /incidents/:id/resolve`. */
export class ResolveIncidentDto {
  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string;
}

/** Body of `POST /incidents/:id/notes`. */
export class IncidentNoteDto {
  @ApiProperty({ maxLength: 2000, example: 'Exotel support confirms a fibre cut near Bengaluru' })
  @IsString()
  @Length(1, 2000)
  @Matches(NOT_BLANK, { message: 'text must not be blank' })
  text!: string;
}

/** Body of `POST /incidents/:id/rca`. */
export class RecordRcaDto {
  @ApiProperty({
    maxLength: 4000,
    description: 'The root cause (RCA/RFO) as shared by Exotel or the operator',
  })
  @IsString()
  @Length(1, 4000)
  @Matches(NOT_BLANK, { message: 'summary must not be blank' })
  summary!: string;

  @ApiPropertyOptional({ maxLength: 2000, description: 'Where the full RCA document is' })
  @IsOptional()
  @IsUrl({ require_protocol: true, protocols: ['http', 'https'] })
  @Length(1, 2000)
  url?: string;
}

/** Body of `POST /incidents/:id/reclassify`: at least one axis. */
export class ReclassifyIncidentDto {
  @ApiPropertyOptional({ enum: ORIGINS })
  @ValidateIf((body: ReclassifyIncidentDto) => body.origin !== undefined || body.planned === undefined)
  @IsIn(ORIGINS, { message: 'origin must be operator, exotel or unknown (give origin, planned or both)' })
  origin?: IncidentOrigin;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  planned?: boolean;

  @ApiProperty({ maxLength: 2000, example: 'Exotel confirmed an internal media server fault' })
  @IsString()
  @Length(1, 2000)
  @Matches(NOT_BLANK, { message: 'reason must not be blank' })
  reason!: string;
}
