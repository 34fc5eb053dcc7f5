import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Session reminders: one row per session and offset, the idempotency key of its
 * `session.remind` job. The partial index serves the sweep that queues late reminders again.
 */
export class SessionReminders1795320000000 implements MigrationInterface {
  name = 'SessionReminders1795320000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "CREATE TABLE \"session_reminders\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"session_id\" uuid NOT NULL, \"client_id\" uuid NOT NULL, \"provider_id\" uuid NOT NULL, \"offset_minutes\" integer NOT NULL, \"session_starts_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"due_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"status\" character varying(16) NOT NULL, \"sent_at\" TIMESTAMP WITH TIME ZONE, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"uq_session_reminders_offset\" UNIQUE (\"session_id\", \"offset_minutes\"), CONSTRAINT \"ck_session_reminders_offset\" CHECK (\"offset_minutes\" > 0), CONSTRAINT \"ck_session_reminders_status\" CHECK (\"status\" IN ('scheduled', 'sent', 'cancelled', 'skipped')), CONSTRAINT \"PK_31472620da8763f68fe02e0225a\" PRIMARY KEY (\"id\"))",
    );
    await queryRunner.query("CREATE INDEX \"ix_session_reminders_due\" ON \"session_reminders\" (\"due_at\") WHERE status = 'scheduled'");
    await queryRunner.query(
      "ALTER TABLE \"session_reminders\" ADD CONSTRAINT \"FK_484e2b40c153f325e09fbd8b0e9\" FOREIGN KEY (\"session_id\") REFERENCES \"care_sessions\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"session_reminders\" DROP CONSTRAINT \"FK_484e2b40c153f325e09fbd8b0e9\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_session_reminders_due\"");
    await queryRunner.query("DROP TABLE \"session_reminders\"");
  }
}
