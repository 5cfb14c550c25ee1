import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { ExotelDatabase } from '../persistence/exotel-database';
import { toE164 } from '../phone/phone-number';
import { ExoPhoneEntity } from './exophone.entity';

/** The ExoPhone rows: their write lock and the row of an ExoPhone seen for the first time. */
@Injectable()
export class ExoPhoneRows {
  constructor(
    @InjectExotelOptions('credentials') private readonly credentials: ResolvedExotelOptions['credentials'],
    @InjectExotelOptions('exophones') private readonly exophones: ResolvedExotelOptions['exophones'],
    private readonly db: ExotelDatabase,
  ) {}

  /**
   * Takes the ExoPhone rows' write lock for the rest of the transaction: every read-modify-write of
   * ExoPhone rows (health apply, sweep, inventory sync) takes it before reading.
   */
  lock(manager: EntityManager): Promise<void> {
    return this.db.lockUntilCommit(manager, `exotel-exophones:${this.credentials.accountSid}`);
  }

  /** Whether an ExoPhone (SID or number) is marked customer-facing by the options. */
  isCustomerFacing(sid: string, phoneNumber: string | null): boolean {
    return this.exophones.customerFacing.some((ref) => matchesRef(ref, sid, phoneNumber));
  }

  /** Whether a row's ExoPhone is customer-facing: the operator's mark, else the options. */
  effectiveCustomerFacing(row: ExoPhoneEntity): boolean {
    return row.customerFacingMark ?? this.isCustomerFacing(row.sid, row.phoneNumber);
  }

  /** A row for an ExoPhone seen for the first time. */
  newRow(sid: string, phoneNumber: string | null): ExoPhoneEntity {
    const number = toE164(phoneNumber) ?? toE164(sid);
    return Object.assign(new ExoPhoneEntity(), {
      sid,
      phoneNumber: number,
      friendlyName: null,
      region: null,
      country: null,
      customerFacing: this.isCustomerFacing(sid, number),
      customerFacingMark: null,
      inInventory: false,
      incomingState: 'unknown',
      incomingCheckedAt: null,
      incomingAlternates: [],
      outgoingState: 'unknown',
      outgoingCheckedAt: null,
      outgoingAlternates: [],
      healthChangedAt: null,
      syncedAt: null,
    } satisfies ExoPhoneEntity);
  }
}

/** Whether an option reference (SID or number) names this ExoPhone. */
export function matchesRef(ref: string, sid: string, phoneNumber: string | null): boolean {
  if (ref === sid) return true;
  const number = toE164(ref);
  return number !== null && number === phoneNumber;
}
