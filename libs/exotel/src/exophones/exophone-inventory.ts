import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ExotelClient } from '../client/exotel-client';
import type { CataloguedEventInput } from '../events/event-catalogue';
import { EventPublisher } from '../events/event-publisher';
import { ExotelClock } from '../jobs/exotel-clock';
import { ExotelJob } from '../jobs/exotel-job.decorator';
import { logLine } from '../logging/log-line';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { bulkInsert } from '../persistence/bulk-insert';
import { ExotelDatabase } from '../persistence/exotel-database';
import { toE164 } from '../phone/phone-number';
import { customerFacingChanged } from './customer-facing-marks';
import { ExoPhoneHealthService } from './exophone-health.service';
import { ExoPhoneRows } from './exophone-rows';
import { ExoPhoneEntity } from './exophone.entity';

/**
 * The columns the inventory owns; health columns are left to heartbeats and sweeps, the operator's
 * customer-facing mark to `ExoPhoneHealthService.markCustomerFacing` (the effective
 * `customerFacing` is recomputed here from the mark and the options).
 */
const INVENTORY_COLUMNS = [
  'phoneNumber',
  'friendlyName',
  'region',
  'country',
  'inInventory',
  'customerFacing',
  'syncedAt',
] as const;

/** Name of the inventory sync job. */
const EXOPHONE_SYNC_JOB = 'exotel.exophones.sync';

/** What an inventory sync did. */
export interface InventorySyncResult {
  /** ExoPhones Exotel listed. */
  readonly listed: number;
  /** New to us. */
  readonly added: number;
  /** Known before and no longer listed (kept, marked out of the inventory). */
  readonly removed: number;
}

/**
 * Keeps the ExoPhone inventory in step with Exotel's ExoPhone list (v2_beta IncomingPhoneNumbers):
 * at start (in the background, so an Exotel outage never blocks boot), every
 * `exophones.syncIntervalMinutes`, and on demand (`POST /exophones/refresh`). New ExoPhones start
 * `unknown` until a heartbeat or a sweep observes them.
 */
@Injectable()
export class ExoPhoneInventory implements OnApplicationBootstrap {
  private readonly logger = new Logger(ExoPhoneInventory.name);

  constructor(
    @InjectExotelOptions('exophones') private readonly exophones: ResolvedExotelOptions['exophones'],
    @InjectExotelOptions('jobs') private readonly jobs: ResolvedExotelOptions['jobs'],
    private readonly client: ExotelClient,
    private readonly db: ExotelDatabase,
    private readonly health: ExoPhoneHealthService,
    private readonly rows: ExoPhoneRows,
    private readonly events: EventPublisher,
    private readonly clock: ExotelClock,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.exophones.syncOnStart || !this.jobs.enabled) return;
    this.sync().catch((error: unknown) =>
      this.logger.warn(logLine('ExoPhone inventory sync failed; retrying later', { err: error })),
    );
  }

  /** Syncs now. Throws the client's typed error when Exotel cannot be read. */
  @ExotelJob({
    name: EXOPHONE_SYNC_JOB,
    intervalMs: (options) => options.exophones.syncIntervalMinutes * 60_000,
    // The start-up sync is onApplicationBootstrap's; the job's first tick waits a whole interval.
    firstRunMs: (options) => options.exophones.syncIntervalMinutes * 60_000,
  })
  async sync(): Promise<InventorySyncResult> {
    const listed = await this.client.listAllIncomingPhoneNumbers();
    const now = this.clock.now();
    const result = await this.db.transaction(async (manager) => {
      await this.health.lockRows(manager);
      const known = new Map((await manager.find(ExoPhoneEntity)).map((row) => [row.sid, row]));
      const seen = new Set<string>();
      let added = 0;
      const rows: ExoPhoneEntity[] = [];
      const facingChanges: CataloguedEventInput[] = [];
      for (const entry of listed) {
        if (!entry.sid || seen.has(entry.sid)) continue;
        seen.add(entry.sid);
        const row = known.get(entry.sid) ?? this.health.newRow(entry.sid, entry.phone_number);
        if (!known.has(entry.sid)) added++;
        row.phoneNumber = toE164(entry.phone_number) ?? row.phoneNumber;
        row.friendlyName = entry.friendly_name ?? row.friendlyName;
        row.region = entry.region ?? row.region;
        row.country = entry.country ?? row.country;
        row.inInventory = true;
        const wasFacing = row.customerFacing;
        row.customerFacing = this.rows.effectiveCustomerFacing(row);
        // The options changed their mind about a known ExoPhone (an operator's mark never does here).
        if (known.has(row.sid) && wasFacing !== row.customerFacing)
          facingChanges.push(customerFacingChanged(row, 'options'));
        row.syncedAt = now;
        rows.push(row);
      }
      const removed = [...known.values()].filter((row) => row.inInventory && !seen.has(row.sid));
      for (const row of removed) {
        row.inInventory = false;
        rows.push(row);
      }
      // One upsert of the inventory's columns (TypeORM's save() reads and writes row by row, holding
      // the ExoPhone lock, and so every heartbeat apply, for seconds on thousands of ExoPhones).
      await bulkInsert(manager, ExoPhoneEntity, rows, { key: ['sid'], update: INVENTORY_COLUMNS });
      if (facingChanges.length > 0) await this.events.publish(manager, facingChanges);
      return { listed: seen.size, added, removed: removed.length };
    });
    this.logger.log(logLine('ExoPhone inventory synced', { ...result }));
    return result;
  }
}
