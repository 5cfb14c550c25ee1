import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each delivery target claims outbox rows with an owner and an expiry, committed before the events
 * are sent, instead of holding row locks in a transaction across the send (a frozen Kafka broker
 * then held back in-process handlers too). Adding nullable columns rewrites nothing.
 */
export class OutboxDeliveryClaims1796347349145 implements MigrationInterface {
  name = 'OutboxDeliveryClaims1796347349145';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "exotel_outbox_events" ADD "dispatch_claimed_by" character varying(64)',
    );
    await queryRunner.query(
      'ALTER TABLE "exotel_outbox_events" ADD "dispatch_claim_expires_at" TIMESTAMP WITH TIME ZONE',
    );
    await queryRunner.query(
      'ALTER TABLE "exotel_outbox_events" ADD "publish_claimed_by" character varying(64)',
    );
    await queryRunner.query(
      'ALTER TABLE "exotel_outbox_events" ADD "publish_claim_expires_at" TIMESTAMP WITH TIME ZONE',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "exotel_outbox_events" DROP COLUMN "publish_claim_expires_at"');
    await queryRunner.query('ALTER TABLE "exotel_outbox_events" DROP COLUMN "publish_claimed_by"');
    await queryRunner.query('ALTER TABLE "exotel_outbox_events" DROP COLUMN "dispatch_claim_expires_at"');
    await queryRunner.query('ALTER TABLE "exotel_outbox_events" DROP COLUMN "dispatch_claimed_by"');
  }
}
