import { MigrationInterface, QueryRunner } from 'typeorm';

/** Each account's IANA time zone: which calendar day its mood entries and streaks fall on. */
export class UserTimeZone1795309000000 implements MigrationInterface {
  name = 'UserTimeZone1795309000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "time_zone" character varying(64) NOT NULL DEFAULT 'UTC'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "users" DROP COLUMN "time_zone"');
  }
}
