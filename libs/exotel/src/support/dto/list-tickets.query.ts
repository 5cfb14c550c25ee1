import { ApiPropertyOptional } from '../../http/openapi.decorators';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { LimitQuery } from '../../http/limit.query';
import type { TicketSeverity } from '../sla-policy';
import type { TicketStatus } from '../support-ticket';

const STATUSES: readonly TicketStatus[] = ['open', 'waiting_on_customer', 'resolved'];

/** Query of `GET /tickets`. */
export class ListTicketsQuery extends LimitQuery {
  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  status?: TicketStatus;

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 4 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(4)
  severity?: TicketSeverity;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  incidentId?: string;
}
