import { MigrationInterface, QueryRunner } from 'typeorm';

/** Reminders before group events, one row per event and offset (the job's idempotency key). */
export class EventReminders1795323000000 implements MigrationInterface {
  name = 'EventReminders1795323000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"event_reminders\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"event_id\" uuid NOT NULL, \"offset_minutes\" integer NOT NULL, \"due_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"status\" character varying(16) NOT NULL, \"sent_at\" TIMESTAMP WITH TIME ZONE, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"uq_event_reminders_offset\" UNIQUE (\"event_id\", \"offset_minutes\"), CONSTRAINT \"ck_event_reminders_offset\" CHECK (\"offset_minutes\" > 0), CONSTRAINT \"ck_event_reminders_status\" CHECK (\"status\" IN ('scheduled', 'sent', 'cancelled', 'skipped')), CONSTRAINT \"PK_52bc63640f4068b3f2b9fd55af9\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_event_reminders_due\" ON \"event_reminders\"  (\"due_at\") WHERE status = 'scheduled'");
    await queryRunner.query("ALTER TABLE \"event_reminders\" ADD CONSTRAINT \"FK_3e2431a78a7d6ae9f601e02208b\" FOREIGN KEY (\"event_id\") REFERENCES \"group_events\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"event_reminders\" DROP CONSTRAINT \"FK_3e2431a78a7d6ae9f601e02208b\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_event_reminders_due\"");
    await queryRunner.query("DROP TABLE \"event_reminders\"");
  }
}
