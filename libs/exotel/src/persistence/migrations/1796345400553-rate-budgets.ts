import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The shared Exotel request budgets (`rateLimit.store: 'database'`): one row per account budget
 * holding the instants of its grants in the last period. Written by hand: no entity maps it (the
 * budget store reads and writes it in one raw statement).
 */
export class RateBudgets1796345400553 implements MigrationInterface {
  name = 'RateBudgets1796345400553';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "exotel_rate_budgets" ("budget" character varying(128) NOT NULL, "grants" bigint[] NOT NULL DEFAULT \'{}\', CONSTRAINT "PK_exotel_rate_budgets" PRIMARY KEY ("budget"))',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "exotel_rate_budgets"');
  }
}
