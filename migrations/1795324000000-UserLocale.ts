import { MigrationInterface, QueryRunner } from 'typeorm';

/** The user's country (which crisis helplines they see) and language (the companion's and crisis texts'). */
export class UserLocale1795324000000 implements MigrationInterface {
  name = 'UserLocale1795324000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "users" ADD "country" character(2)');
    await queryRunner.query('ALTER TABLE "users" ADD "language" character varying(2) NOT NULL DEFAULT \'en\'');
    await queryRunner.query('ALTER TABLE "users" ADD CONSTRAINT "ck_users_language" CHECK ("language" IN (\'en\', \'ru\'))');
    await queryRunner.query('ALTER TABLE "users" ADD CONSTRAINT "ck_users_country" CHECK ("country" ~ \'^[A-Z]{2}$\')');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "users" DROP CONSTRAINT "ck_users_country"');
    await queryRunner.query('ALTER TABLE "users" DROP CONSTRAINT "ck_users_language"');
    await queryRunner.query('ALTER TABLE "users" DROP COLUMN "language"');
    await queryRunner.query('ALTER TABLE "users" DROP COLUMN "country"');
  }
}
