import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

/** Body of the sign-in form. */
export class ConsoleSignInDto {
  @IsString()
  @Length(1, 512)
  key!: string;
}

const STATES = ['active', 'partial_network_outage', 'major_outage', 'unknown'] as const;
const DIRECTIONS = ['incoming', 'outgoing'] as const;

/** Query of the fleet: one page, filtered and searched on the server. */
export class ConsoleFleetQuery {
  @IsOptional()
  @IsIn(STATES)
  state?: (typeof STATES)[number];

  @IsOptional()
  @IsIn(DIRECTIONS)
  direction?: (typeof DIRECTIONS)[number];

  /** Part of a SID or number. */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  search?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}

/** An incident declared from the console. */
export class ConsoleDeclareIncidentDto {
  /** `exotel`, `api:latency`, `region:<circle>` or `exophone:<sid>`. */
  @IsString()
  @Length(1, 120)
  scope!: string;

  @IsOptional()
  @IsIn(['outage', 'degraded_performance'])
  kind?: 'outage' | 'degraded_performance';

  @IsOptional()
  @IsString()
  @Length(1, 200)
  title?: string;

  @IsOptional()
  @IsString()
  @Length(1, 1000)
  note?: string;
}

/** An incident resolved from the console. */
export class ConsoleResolveIncidentDto {
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  note?: string;
}

/** A ticket opened from the console (the plan is the `support.plan` option). */
export class ConsoleOpenTicketDto {
  @IsString()
  @Length(1, 200)
  title!: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(4)
  severity!: 1 | 2 | 3 | 4;
}

/** An ExoPhone marked customer-facing or not from the console, or its mark cleared (null). */
export class ConsoleCustomerFacingDto {
  @IsIn([true, false, null], { message: 'customerFacing must be true, false or null' })
  customerFacing!: boolean | null;
}
