import { IsIn } from 'class-validator';
import { ApiProperty } from '../../http/openapi.decorators';

/** Body of `PUT /exophones/:sid/customer-facing`. */
export class MarkCustomerFacingDto {
  @ApiProperty({
    type: Boolean,
    nullable: true,
    description:
      'true or false: the operator says so, whatever exophones.customerFacing says, until cleared; null: clear the mark (the options decide)',
  })
  @IsIn([true, false, null], { message: 'customerFacing must be true, false or null' })
  customerFacing!: boolean | null;
}
