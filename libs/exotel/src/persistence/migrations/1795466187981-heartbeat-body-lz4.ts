import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Heartbeat bodies (up to 10 MB of JSON) are compressed with lz4 instead of pglz where the server
 * supports it: storing one is about twice as fast, which the webhook's acknowledgement waits for.
 * Written by hand: TypeORM does not model column compression (nor see it as drift).
 */
export class HeartbeatBodyLz41795466187981 implements MigrationInterface {
  name = 'HeartbeatBodyLz41795466187981';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (!(await supportsLz4(queryRunner))) return;
    await queryRunner.query('ALTER TABLE "exotel_heartbeats" ALTER COLUMN "body" SET COMPRESSION lz4');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (!(await supportsLz4(queryRunner))) return;
    await queryRunner.query('ALTER TABLE "exotel_heartbeats" ALTER COLUMN "body" SET COMPRESSION pglz');
  }
}

/** PostgreSQL 14 and later, built with lz4, list it among the TOAST compression methods. */
async function supportsLz4(queryRunner: QueryRunner): Promise<boolean> {
  const rows = (await queryRunner.query(
    "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)",
  )) as unknown[];
  return rows.length > 0;
}
