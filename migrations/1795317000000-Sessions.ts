import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Care sessions. Two exclusion constraints hold no double booking for upcoming sessions:
 * the provider's busy range (session plus buffer) and the client's range. btree_gist gives
 * the person's uuid its gist `=` (PGlite ships it too; the embedded database loads it).
 */
export class Sessions1795317000000 implements MigrationInterface {
  name = 'Sessions1795317000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS btree_gist');
    await queryRunner.query("CREATE TABLE \"care_sessions\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"client_id\" uuid NOT NULL, \"provider_id\" uuid NOT NULL, \"type\" character varying(8) NOT NULL, \"status\" character varying(16) NOT NULL DEFAULT 'upcoming', \"starts_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"ends_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"busy_until\" TIMESTAMP WITH TIME ZONE NOT NULL, \"duration_minutes\" integer NOT NULL, \"buffer_minutes\" integer NOT NULL DEFAULT '0', \"price_minor\" integer NOT NULL, \"currency\" character varying(3) NOT NULL, \"title\" character varying(200), \"description_encrypted\" text, \"notes_encrypted\" text, \"chat_id\" uuid, \"meeting_room\" character varying(80), \"cancelled_by_id\" uuid, \"cancel_reason_encrypted\" text, \"late_cancellation\" boolean NOT NULL DEFAULT false, \"closed_at\" TIMESTAMP WITH TIME ZONE, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_care_sessions_price\" CHECK (\"price_minor\" >= 0), CONSTRAINT \"ck_care_sessions_duration\" CHECK (\"duration_minutes\" BETWEEN 15 AND 240 AND \"ends_at\" > \"starts_at\" AND \"busy_until\" >= \"ends_at\"), CONSTRAINT \"ck_care_sessions_type\" CHECK (\"type\" IN ('text', 'voice', 'video')), CONSTRAINT \"ck_care_sessions_status\" CHECK (\"status\" IN ('upcoming', 'completed', 'cancelled', 'no_show')), CONSTRAINT \"ex_care_sessions_client_overlap\" EXCLUDE USING gist (\"client_id\" WITH =, tstzrange(\"starts_at\", \"ends_at\") WITH &&) WHERE (\"status\" = 'upcoming'), CONSTRAINT \"ex_care_sessions_provider_busy\" EXCLUDE USING gist (\"provider_id\" WITH =, tstzrange(\"starts_at\", \"busy_until\") WITH &&) WHERE (\"status\" = 'upcoming'), CONSTRAINT \"PK_1299b26a328142795e53d2fc520\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_care_sessions_provider_upcoming\" ON \"care_sessions\"  (\"provider_id\", \"starts_at\") WHERE status = 'upcoming'");
    await queryRunner.query("CREATE INDEX \"ix_care_sessions_client_starts\" ON \"care_sessions\"  (\"client_id\", \"starts_at\") ");
    await queryRunner.query("ALTER TABLE \"care_sessions\" ADD CONSTRAINT \"FK_9c4953f313d90e83855aa9f788e\" FOREIGN KEY (\"client_id\") REFERENCES \"users\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"care_sessions\" ADD CONSTRAINT \"FK_dc5f95ce8316590a61cf65c0f99\" FOREIGN KEY (\"provider_id\") REFERENCES \"users\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"care_sessions\" DROP CONSTRAINT \"FK_dc5f95ce8316590a61cf65c0f99\"");
    await queryRunner.query("ALTER TABLE \"care_sessions\" DROP CONSTRAINT \"FK_9c4953f313d90e83855aa9f788e\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_care_sessions_client_starts\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_care_sessions_provider_upcoming\"");
    await queryRunner.query("DROP TABLE \"care_sessions\"");
  }
}
