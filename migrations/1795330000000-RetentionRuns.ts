import { MigrationInterface, QueryRunner } from 'typeorm';

/** Runs of the retention job (when, why, counts deleted per kind), and the indexes its batched deletes read. */
export class RetentionRuns1795330000000 implements MigrationInterface {
  name = 'RetentionRuns1795330000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"retention_runs\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"trigger\" character varying(16) NOT NULL, \"started_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"finished_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"deleted\" jsonb NOT NULL, CONSTRAINT \"PK_80f0aec401112f8d4bad156a908\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_retention_runs_finished_at\" ON \"retention_runs\"  (\"finished_at\") ");
    await queryRunner.query("CREATE INDEX \"ix_background_jobs_finished\" ON \"background_jobs\"  (\"finished_at\") WHERE status IN ('done', 'failed')");
    await queryRunner.query("CREATE INDEX \"ix_notifications_created_at\" ON \"notifications\"  (\"created_at\") ");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"public\".\"ix_notifications_created_at\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_background_jobs_finished\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_retention_runs_finished_at\"");
    await queryRunner.query("DROP TABLE \"retention_runs\"");
  }
}
