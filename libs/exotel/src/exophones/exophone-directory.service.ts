import { Injectable } from '@nestjs/common';
import { IsNull, MoreThan, type EntityManager } from 'typeorm';
import { selectCallerId } from './caller-id-selection';
import { matchesRef } from './exophone-rows';
import type { CallDirection, CallerIdCandidate, CallerIdChoice, PhoneHealth } from './exophone-health.types';
import { ExoPhoneEntity } from './exophone.entity';

/** Where failover would move one direction of an ExoPhone's calls; null when nowhere healthy. */
export type FailoverPlan = (exoPhoneSid: string, direction: CallDirection) => CallerIdChoice | null;

/**
 * The ExoPhone rows as other capabilities read them, inside the caller's transaction: incidents
 * read the health they judge and check the scopes they are given, the heartbeat's sweep pages
 * through the SIDs. Nothing outside exophones reads the ExoPhone table itself.
 */
@Injectable()
export class ExoPhoneDirectory {
  /** Every ExoPhone's health, by SID. */
  health(manager: EntityManager): Promise<PhoneHealth[]> {
    return manager.find(ExoPhoneEntity, {
      select: {
        sid: true,
        phoneNumber: true,
        region: true,
        customerFacing: true,
        incomingState: true,
        outgoingState: true,
        incomingAlternates: true,
        outgoingAlternates: true,
      },
      order: { sid: 'ASC' },
    });
  }

  /** Whether an ExoPhone has this SID. */
  has(manager: EntityManager, sid: string): Promise<boolean> {
    return manager.existsBy(ExoPhoneEntity, { sid });
  }

  /** Whether an ExoPhone is in `region` (case-insensitive); `null`: one whose region is unknown. */
  async hasRegion(manager: EntityManager, region: string | null): Promise<boolean> {
    if (region === null) return manager.existsBy(ExoPhoneEntity, { region: IsNull() });
    const count = await manager
      .createQueryBuilder(ExoPhoneEntity, 'e')
      .where('UPPER(e.region) = :region', { region: region.toUpperCase() })
      .getCount();
    return count > 0;
  }

  /** Up to `limit` SIDs after `cursor` (from the first when null), in order. */
  async sidsAfter(manager: EntityManager, cursor: string | null, limit: number): Promise<string[]> {
    const rows = await manager.find(ExoPhoneEntity, {
      select: { sid: true },
      where: cursor ? { sid: MoreThan(cursor) } : {},
      order: { sid: 'ASC' },
      take: limit,
    });
    return rows.map((row) => row.sid);
  }

  /**
   * Failover as calls apply it (`ExoPhoneHealthService.selectCallerId`), replayed over `phones`:
   * Exotel's own alternates first, then the healthy ExoPhones of `failoverPool` (every ExoPhone
   * when empty).
   */
  failoverPlan(phones: readonly PhoneHealth[], failoverPool: readonly string[]): FailoverPlan {
    const bySid = new Map(phones.map((p) => [p.sid, p]));
    const byNumber = new Map(phones.filter((p) => p.phoneNumber).map((p) => [p.phoneNumber!, p]));
    const pool = failoverPool.length
      ? phones.filter((p) => failoverPool.some((ref) => matchesRef(ref, p.sid, p.phoneNumber)))
      : phones;
    const healthyPool: Record<CallDirection, CallerIdCandidate[]> = {
      incoming: pool.filter((p) => p.incomingState === 'active').map((p) => candidate(p, 'incoming')),
      outgoing: pool.filter((p) => p.outgoingState === 'active').map((p) => candidate(p, 'outgoing')),
    };
    return (exoPhoneSid, direction) => {
      const phone = bySid.get(exoPhoneSid);
      if (!phone) return null;
      const resolve = (ref: string) => {
        const found = bySid.get(ref) ?? byNumber.get(ref);
        return found && candidate(found, direction);
      };
      const choice = selectCallerId(
        phone.sid,
        candidate(phone, direction),
        direction,
        resolve,
        healthyPool[direction],
      );
      return choice ?? null;
    };
  }
}

function candidate(phone: PhoneHealth, direction: CallDirection): CallerIdCandidate {
  return {
    sid: phone.sid,
    phoneNumber: phone.phoneNumber,
    region: phone.region,
    state: direction === 'incoming' ? phone.incomingState : phone.outgoingState,
    alternates: (direction === 'incoming' ? phone.incomingAlternates : phone.outgoingAlternates) ?? [],
  };
}
