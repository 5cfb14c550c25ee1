import { Injectable } from '@nestjs/common';
import { Not, type EntityManager } from 'typeorm';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { ExotelDatabase } from '../persistence/exotel-database';
import { toE164 } from '../phone/phone-number';
import { selectCallerId } from './caller-id-selection';
import type { CallDirection, CallerIdCandidate, CallerIdChoice } from './exophone-health.types';
import { NoHealthyCallerIdError } from './exophone.errors';
import { ExoPhoneEntity } from './exophone.entity';

/**
 * Failover: reads the ExoPhones a call may use as its caller id and lets `selectCallerId` choose.
 * Calls asking for the same ExoPhone while its selection is being read share that read.
 */
@Injectable()
export class CallerIdFailover {
  // Selections being read, by direction and preferred ExoPhone: concurrent calls share one read.
  private readonly picking = new Map<string, Promise<CallerIdChoice>>();

  constructor(
    @InjectExotelOptions('exophones') private readonly exophones: ResolvedExotelOptions['exophones'],
    private readonly db: ExotelDatabase,
  ) {}

  /** See `ExoPhoneHealthService.pickCallerId`. */
  pick(preferred: string, direction: CallDirection): Promise<CallerIdChoice> {
    const key = `${direction}:${preferred}`;
    const pending = this.picking.get(key);
    if (pending) return pending;
    const picked = this.read(preferred, direction)
      .then((choice) => Object.freeze(choice))
      .finally(() => this.picking.delete(key));
    this.picking.set(key, picked);
    return picked;
  }

  private read(preferred: string, direction: CallDirection): Promise<CallerIdChoice> {
    return this.db.read(async (manager) => {
      const preferredRow = await findByRef(manager, preferred);
      const candidate = (row: ExoPhoneEntity): CallerIdCandidate => ({
        sid: row.sid,
        phoneNumber: row.phoneNumber,
        region: row.region,
        state: direction === 'incoming' ? row.incomingState : row.outgoingState,
        alternates: direction === 'incoming' ? row.incomingAlternates : row.outgoingAlternates,
      });
      if (
        preferredRow &&
        (direction === 'incoming' ? preferredRow.incomingState : preferredRow.outgoingState) === 'active'
      ) {
        return selectCallerId(preferred, candidate(preferredRow), direction, () => undefined, [])!;
      }
      const alternates = new Map<string, CallerIdCandidate>();
      for (const ref of preferredRow ? candidate(preferredRow).alternates : []) {
        const row = await findByRef(manager, ref);
        if (row) alternates.set(ref, candidate(row));
      }
      const pool = (await this.poolRows(manager, direction, preferredRow?.sid)).map(candidate);
      const choice = selectCallerId(
        preferred,
        preferredRow ? candidate(preferredRow) : undefined,
        direction,
        (ref) => alternates.get(ref),
        pool,
      );
      if (!choice)
        throw new NoHealthyCallerIdError(
          preferred,
          direction,
          preferredRow ? candidate(preferredRow).state : 'unknown',
        );
      return choice;
    });
  }

  /** The failover pool (`exophones.failoverPool`, else every active ExoPhone), less `exclude`. */
  private async poolRows(
    manager: EntityManager,
    direction: CallDirection,
    exclude?: string,
  ): Promise<ExoPhoneEntity[]> {
    const stateColumn = direction === 'incoming' ? 'incomingState' : 'outgoingState';
    const refs = this.exophones.failoverPool;
    if (refs.length === 0) {
      return manager.find(ExoPhoneEntity, {
        where: { [stateColumn]: 'active', ...(exclude ? { sid: Not(exclude) } : {}) },
        order: { sid: 'ASC' },
        take: 500,
      });
    }
    const rows: ExoPhoneEntity[] = [];
    for (const ref of refs) {
      const row = await findByRef(manager, ref);
      if (row && row.sid !== exclude) rows.push(row);
    }
    return rows;
  }
}

/** An ExoPhone by SID or number, in one query; a SID match wins. */
async function findByRef(manager: EntityManager, ref: string): Promise<ExoPhoneEntity | null> {
  const number = toE164(ref);
  const rows = await manager.find(ExoPhoneEntity, {
    where: number ? [{ sid: ref }, { phoneNumber: number }] : { sid: ref },
    take: 2,
  });
  return rows.find((row) => row.sid === ref) ?? rows[0] ?? null;
}
