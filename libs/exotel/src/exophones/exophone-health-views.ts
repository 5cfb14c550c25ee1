import { Injectable } from '@nestjs/common';
import { Like, type FindOptionsWhere } from 'typeorm';
import { ExotelNotFoundError } from '../errors/exotel-not-found.error';
import { ExotelDatabase } from '../persistence/exotel-database';
import { ExoPhoneHealthHistoryEntity } from './exophone-health-history.entity';
import {
  DIRECTIONS,
  type CallDirection,
  type ExoPhoneHealthState,
  type HealthSource,
} from './exophone-health.types';
import { toExoPhoneView, type ExoPhoneView } from './exophone-view';
import { ExoPhoneEntity } from './exophone.entity';
import { LastHeartbeat } from './last-heartbeat.port';

/** Filters of `ExoPhoneHealthService.list`. */
export interface ExoPhoneFilter {
  /** Only ExoPhones in this state (in `direction`, or in either direction). */
  readonly state?: ExoPhoneHealthState;
  readonly direction?: CallDirection;
  readonly region?: string;
  /** Only ExoPhones whose SID or number contains this text. */
  readonly search?: string;
  /** Page size. @default 500 */
  readonly limit?: number;
  /** Items to skip (ordered by SID). @default 0 */
  readonly offset?: number;
}

/** One entry of an ExoPhone's health history. */
export interface HealthHistoryItem {
  readonly direction: CallDirection;
  readonly previous: ExoPhoneHealthState;
  readonly current: ExoPhoneHealthState;
  readonly source: HealthSource;
  readonly observedAt: string;
}

const HISTORY_LIMIT = 100;

/** What the ExoPhones' health looks like: pages of ExoPhones, one with its history, the counts. */
@Injectable()
export class ExoPhoneHealthViews {
  constructor(
    private readonly db: ExotelDatabase,
    private readonly lastHeartbeat: LastHeartbeat,
  ) {}

  /** ExoPhones with their health, by SID. */
  async list(filter: ExoPhoneFilter = {}): Promise<{ items: ExoPhoneView[]; total: number }> {
    const { rows, total, lastHeartbeatAt } = await this.db.read(async (manager) => {
      const where: FindOptionsWhere<ExoPhoneEntity>[] = [];
      const directions = filter.direction ? [filter.direction] : DIRECTIONS;
      const region: FindOptionsWhere<ExoPhoneEntity> = filter.region ? { region: filter.region } : {};
      const bases = filter.search
        ? [
            { ...region, sid: Like(`%${escapeLike(filter.search)}%`) },
            { ...region, phoneNumber: Like(`%${escapeLike(filter.search)}%`) },
          ]
        : [region];
      for (const base of bases)
        if (filter.state) for (const d of directions) where.push({ ...base, [`${d}State`]: filter.state });
        else where.push(base);
      const [rows, total] = await manager.findAndCount(ExoPhoneEntity, {
        where,
        order: { sid: 'ASC' },
        take: filter.limit ?? 500,
        skip: filter.offset ?? 0,
      });
      return { rows, total, lastHeartbeatAt: await this.lastHeartbeat.appliedAt(manager) };
    });
    return { items: rows.map((row) => toExoPhoneView(row, lastHeartbeatAt)), total };
  }

  /** One ExoPhone with its latest health changes (newest first). Throws `ExotelNotFoundError`. */
  async get(sid: string): Promise<ExoPhoneView & { history: HealthHistoryItem[] }> {
    return this.db.read(async (manager) => {
      const row = await manager.findOneBy(ExoPhoneEntity, { sid });
      if (!row) throw new ExotelNotFoundError('ExoPhone', sid);
      const history = await manager.find(ExoPhoneHealthHistoryEntity, {
        where: { exoPhoneSid: sid },
        order: { id: 'DESC' },
        take: HISTORY_LIMIT,
      });
      return {
        ...toExoPhoneView(row, await this.lastHeartbeat.appliedAt(manager)),
        history: history.map((h) => ({
          direction: h.direction,
          previous: h.previous,
          current: h.current,
          source: h.source,
          observedAt: h.observedAt.toISOString(),
        })),
      };
    });
  }

  /** How many ExoPhones are in each state, per direction. */
  async counts(): Promise<Record<CallDirection, Record<ExoPhoneHealthState, number>>> {
    const rows = await this.db.read((manager) =>
      manager
        .createQueryBuilder(ExoPhoneEntity, 'e')
        .select('e.incoming_state', 'incoming')
        .addSelect('e.outgoing_state', 'outgoing')
        .addSelect('COUNT(*)', 'n')
        .groupBy('e.incoming_state')
        .addGroupBy('e.outgoing_state')
        .getRawMany<{ incoming: ExoPhoneHealthState; outgoing: ExoPhoneHealthState; n: string | number }>(),
    );
    const empty = (): Record<ExoPhoneHealthState, number> => ({
      active: 0,
      partial_network_outage: 0,
      major_outage: 0,
      unknown: 0,
    });
    const counts = { incoming: empty(), outgoing: empty() };
    for (const row of rows) {
      counts.incoming[row.incoming] += Number(row.n);
      counts.outgoing[row.outgoing] += Number(row.n);
    }
    return counts;
  }
}

/** `text` without LIKE's wildcards: SIDs and numbers hold none, so a search for them means nothing. */
function escapeLike(text: string): string {
  return text.replace(/[%_]/g, '');
}
