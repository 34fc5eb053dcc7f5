import { MigrationInterface, QueryRunner } from 'typeorm';

/** Alarms and their deliveries: one row per recipient, channel and purpose, the idempotency key of its job. */
export class Alarms1795315000000 implements MigrationInterface {
  name = 'Alarms1795315000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"alarms\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"user_id\" uuid NOT NULL, \"status\" character varying(16) NOT NULL DEFAULT 'open', \"client_request_id\" character varying(64), \"location_encrypted\" text, \"scenario_id\" uuid, \"scenario_name\" character varying(120), \"message_en\" text NOT NULL, \"message_ru\" text, \"play_music\" boolean NOT NULL DEFAULT false, \"track_name\" character varying(120), \"track_url\" character varying(2048), \"triggered_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"resolved_at\" TIMESTAMP WITH TIME ZONE, \"resolved_by_id\" uuid, CONSTRAINT \"ck_alarms_status\" CHECK (\"status\" IN ('open', 'resolved')), CONSTRAINT \"PK_b776da486fb19d38b4f7777a6da\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_alarms_user_client_request\" ON \"alarms\"  (\"user_id\", \"client_request_id\") WHERE client_request_id IS NOT NULL");
    await queryRunner.query("CREATE INDEX \"ix_alarms_triggered\" ON \"alarms\"  (\"triggered_at\") ");
    await queryRunner.query("CREATE INDEX \"ix_alarms_user_triggered\" ON \"alarms\"  (\"user_id\", \"triggered_at\") ");
    await queryRunner.query("CREATE TABLE \"alarm_deliveries\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"alarm_id\" uuid NOT NULL, \"purpose\" character varying(16) NOT NULL DEFAULT 'alarm', \"recipient_kind\" character varying(16) NOT NULL, \"recipient_key\" character varying(80) NOT NULL, \"channel\" character varying(16) NOT NULL, \"contact_id\" uuid, \"therapist_user_id\" uuid, \"recipient_name\" character varying(100) NOT NULL, \"relationship\" character varying(60), \"address_encrypted\" text, \"language\" character varying(2) NOT NULL DEFAULT 'en', \"status\" character varying(16) NOT NULL, \"attempts\" integer NOT NULL DEFAULT '0', \"last_error\" character varying(500), \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"sent_at\" TIMESTAMP WITH TIME ZONE, \"acknowledged_at\" TIMESTAMP WITH TIME ZONE, \"ack_expires_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"ck_alarm_deliveries_attempts\" CHECK (\"attempts\" >= 0), CONSTRAINT \"ck_alarm_deliveries_status\" CHECK (\"status\" IN ('queued', 'sent', 'failed', 'acknowledged', 'suppressed')), CONSTRAINT \"PK_25dc9a9e6a821cd6fd2d046a4a7\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_alarm_deliveries_status_created\" ON \"alarm_deliveries\"  (\"status\", \"created_at\") ");
    await queryRunner.query("CREATE INDEX \"ix_alarm_deliveries_contact_created\" ON \"alarm_deliveries\"  (\"contact_id\", \"created_at\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_alarm_deliveries_recipient\" ON \"alarm_deliveries\"  (\"alarm_id\", \"purpose\", \"recipient_key\", \"channel\") ");
    await queryRunner.query("ALTER TABLE \"alarms\" ADD CONSTRAINT \"FK_83b18ceba9167238d5c9dcde470\" FOREIGN KEY (\"user_id\") REFERENCES \"users\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"alarm_deliveries\" ADD CONSTRAINT \"FK_caceead60ccceada7308cc3243d\" FOREIGN KEY (\"alarm_id\") REFERENCES \"alarms\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"alarm_deliveries\" DROP CONSTRAINT \"FK_caceead60ccceada7308cc3243d\"");
    await queryRunner.query("ALTER TABLE \"alarms\" DROP CONSTRAINT \"FK_83b18ceba9167238d5c9dcde470\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_alarm_deliveries_recipient\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_alarm_deliveries_contact_created\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_alarm_deliveries_status_created\"");
    await queryRunner.query("DROP TABLE \"alarm_deliveries\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_alarms_user_triggered\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_alarms_triggered\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_alarms_user_client_request\"");
    await queryRunner.query("DROP TABLE \"alarms\"");
  }
}
