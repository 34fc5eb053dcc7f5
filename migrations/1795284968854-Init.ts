import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1795284968854 implements MigrationInterface {
  name = 'Init1795284968854';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"mail_messages\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"idempotency_key\" character varying(200) NOT NULL, \"to_address\" character varying(320) NOT NULL, \"subject\" character varying(300) NOT NULL, \"text_body\" text NOT NULL, \"html_body\" text, \"status\" character varying(16) NOT NULL DEFAULT 'queued', \"provider_message_id\" character varying(300), \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"sent_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"PK_1bd6e76ef3b3d4aff7d0510a509\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_mail_messages_created_at\" ON \"mail_messages\"  (\"created_at\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_mail_messages_key\" ON \"mail_messages\"  (\"idempotency_key\") ");
    await queryRunner.query("CREATE TABLE \"background_jobs\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"queue\" character varying(64) NOT NULL, \"name\" character varying(64) NOT NULL, \"key\" character varying(200) NOT NULL, \"payload\" jsonb NOT NULL, \"status\" character varying(16) NOT NULL DEFAULT 'pending', \"attempts\" integer NOT NULL DEFAULT '0', \"run_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"last_error\" text, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"finished_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"PK_c1f31731b1a02806c4aa631acb8\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_background_jobs_name_key\" ON \"background_jobs\"  (\"name\", \"key\") ");
    await queryRunner.query("CREATE INDEX \"ix_background_jobs_due\" ON \"background_jobs\"  (\"run_at\") WHERE status = 'pending'");
    await queryRunner.query("CREATE TABLE \"job_failures\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"driver\" character varying(16) NOT NULL, \"queue\" character varying(64) NOT NULL, \"name\" character varying(64) NOT NULL, \"key\" character varying(200) NOT NULL, \"payload\" jsonb NOT NULL, \"attempts\" integer NOT NULL, \"error\" text NOT NULL, \"failed_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_c199fe43056ac6b47d3937e7d42\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_job_failures_failed_at\" ON \"job_failures\"  (\"failed_at\") ");
    await queryRunner.query("CREATE TABLE \"job_probe_runs\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"probe_id\" character varying(100) NOT NULL, \"attempt\" integer NOT NULL, \"succeeded\" boolean NOT NULL, \"ran_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_c2cbc2078010a74afc76ddafb2c\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_job_probe_runs_probe\" ON \"job_probe_runs\"  (\"probe_id\") ");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"public\".\"ix_job_probe_runs_probe\"");
    await queryRunner.query("DROP TABLE \"job_probe_runs\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_job_failures_failed_at\"");
    await queryRunner.query("DROP TABLE \"job_failures\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_background_jobs_due\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_background_jobs_name_key\"");
    await queryRunner.query("DROP TABLE \"background_jobs\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_mail_messages_key\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_mail_messages_created_at\"");
    await queryRunner.query("DROP TABLE \"mail_messages\"");
  }
}
