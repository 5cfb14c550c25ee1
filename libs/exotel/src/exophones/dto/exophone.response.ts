import { ApiProperty, ApiPropertyOptional } from '../../http/openapi.decorators';

/** Health of one direction. */
export class DirectionHealthResponse {
  @ApiProperty({ enum: ['active', 'partial_network_outage', 'major_outage', 'unknown'] })
  state!: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  lastCheckTime!: string | null;

  @ApiProperty({ type: [String], description: "Exotel's suggested alternate ExoPhones" })
  alternates!: string[];
}

/** An ExoPhone with its health. */
export class ExoPhoneResponse {
  @ApiProperty() sid!: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: '+918047491899' }) phoneNumber!:
    string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) friendlyName!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'KA' }) region!: string | null;
  @ApiProperty({
    description:
      "Printed on a website: inbound failover cannot help. The operator's mark when there is one, else the exophones.customerFacing option",
  })
  customerFacing!: boolean;
  @ApiPropertyOptional({
    type: Boolean,
    nullable: true,
    description: "The operator's mark (PUT /exophones/{sid}/customer-facing); null: the options decide",
  })
  customerFacingMark!: boolean | null;
  @ApiProperty({ description: "Listed by Exotel's ExoPhone API" }) inInventory!: boolean;
  @ApiProperty({ type: DirectionHealthResponse }) incoming!: DirectionHealthResponse;
  @ApiProperty({ type: DirectionHealthResponse }) outgoing!: DirectionHealthResponse;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) healthChangedAt!: string | null;
}

/** `GET /exophones`. */
export class ExoPhoneListResponse {
  @ApiProperty({ type: [ExoPhoneResponse] }) items!: ExoPhoneResponse[];
  @ApiProperty() total!: number;
}

/** One health change. */
export class HealthHistoryResponse {
  @ApiProperty({ enum: ['incoming', 'outgoing'] }) direction!: string;
  @ApiProperty() previous!: string;
  @ApiProperty() current!: string;
  @ApiProperty({ enum: ['heartbeat', 'sweep', 'inventory', 'manual'] }) source!: string;
  @ApiProperty({ format: 'date-time' }) observedAt!: string;
}

/** `GET /exophones/:sid`. */
export class ExoPhoneDetailResponse extends ExoPhoneResponse {
  @ApiProperty({ type: [HealthHistoryResponse], description: 'Latest changes, newest first' })
  history!: HealthHistoryResponse[];
}

/** `POST /exophones/refresh`. */
export class InventorySyncResponse {
  @ApiProperty() listed!: number;
  @ApiProperty() added!: number;
  @ApiProperty() removed!: number;
}
