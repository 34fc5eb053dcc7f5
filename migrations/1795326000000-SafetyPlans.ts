import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Safety plans: one row per version, never updated. The unique (user_id, version) pair lets
 * only one of two saves from the same base version win, and serves the current-version and
 * history reads. `content` is the encrypted JSON of the sections; `updated_by` who wrote it.
 */
export class SafetyPlans1795326000000 implements MigrationInterface {
  name = 'SafetyPlans1795326000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "safety_plan_versions" ("id" uuid NOT NULL, "user_id" uuid NOT NULL, "version" integer NOT NULL, "content" text NOT NULL, "updated_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_safety_plan_versions_user_version" UNIQUE ("user_id", "version"), CONSTRAINT "ck_safety_plan_versions_version" CHECK ("version" >= 1), CONSTRAINT "PK_2ae338748beeadc314dceab52e7" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'ALTER TABLE "safety_plan_versions" ADD CONSTRAINT "FK_eaf112ee325f77f1eda556980d9" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "safety_plan_versions" ADD CONSTRAINT "FK_80f1572fab8b58a7917332b662a" FOREIGN KEY ("updated_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "safety_plan_versions" DROP CONSTRAINT "FK_80f1572fab8b58a7917332b662a"');
    await queryRunner.query('ALTER TABLE "safety_plan_versions" DROP CONSTRAINT "FK_eaf112ee325f77f1eda556980d9"');
    await queryRunner.query('DROP TABLE "safety_plan_versions"');
  }
}
