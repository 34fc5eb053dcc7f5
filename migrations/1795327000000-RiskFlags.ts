import { MigrationInterface, QueryRunner } from 'typeorm';

/** Risk flags raised by crisis language, their detections (references, never text) and staff notes. */
export class RiskFlags1795327000000 implements MigrationInterface {
  name = 'RiskFlags1795327000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"risk_flags\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"user_id\" uuid NOT NULL, \"source\" character varying(24) NOT NULL, \"conversation_id\" uuid, \"scope_key\" character varying(64) NOT NULL, \"categories\" character varying(24) array NOT NULL, \"severity_rank\" smallint NOT NULL, \"confidence\" real NOT NULL, \"detections\" integer NOT NULL DEFAULT '1', \"status\" character varying(16) NOT NULL DEFAULT 'open', \"first_detected_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"last_detected_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"ack_deadline_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"escalation_level\" integer NOT NULL DEFAULT '0', \"next_escalation_at\" TIMESTAMP WITH TIME ZONE, \"acknowledged_by_id\" uuid, \"acknowledged_at\" TIMESTAMP WITH TIME ZONE, \"resolved_by_id\" uuid, \"resolved_at\" TIMESTAMP WITH TIME ZONE, \"outcome\" character varying(24), \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_risk_flags_detections\" CHECK (\"detections\" >= 1), CONSTRAINT \"ck_risk_flags_outcome\" CHECK (\"outcome\" IS NULL OR \"outcome\" IN ('contacted_safe', 'emergency_services', 'care_team_follow_up', 'false_positive', 'other')), CONSTRAINT \"ck_risk_flags_severity_rank\" CHECK (\"severity_rank\" BETWEEN 1 AND 3), CONSTRAINT \"ck_risk_flags_status\" CHECK (\"status\" IN ('open', 'acknowledged', 'resolved')), CONSTRAINT \"PK_01362378bcc040917afecc52817\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_risk_flags_escalation_due\" ON \"risk_flags\"  (\"next_escalation_at\") WHERE status = 'open'");
    await queryRunner.query("CREATE INDEX \"ix_risk_flags_user_scope\" ON \"risk_flags\"  (\"user_id\", \"scope_key\", \"last_detected_at\") ");
    await queryRunner.query("CREATE INDEX \"ix_risk_flags_triage\" ON \"risk_flags\"  (\"status\", \"severity_rank\", \"first_detected_at\") ");
    await queryRunner.query("CREATE TABLE \"risk_detections\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"flag_id\" uuid NOT NULL, \"source\" character varying(24) NOT NULL, \"reference_id\" uuid NOT NULL, \"categories\" character varying(24) array NOT NULL, \"confidence\" real NOT NULL, \"detected_at\" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT \"PK_17badb3b1ce122b4804d90344a2\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_risk_detections_reference\" ON \"risk_detections\"  (\"source\", \"reference_id\") ");
    await queryRunner.query("CREATE INDEX \"ix_risk_detections_flag\" ON \"risk_detections\"  (\"flag_id\", \"detected_at\") ");
    await queryRunner.query("CREATE TABLE \"risk_flag_notes\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"flag_id\" uuid NOT NULL, \"author_id\" uuid NOT NULL, \"body_encrypted\" text NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_418c9923f12b0a6ba6bdb2f9fa1\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_risk_flag_notes_flag\" ON \"risk_flag_notes\"  (\"flag_id\", \"created_at\") ");
    await queryRunner.query("ALTER TABLE \"risk_flags\" ADD CONSTRAINT \"FK_25fcc18b4645e5ed16d97a1d542\" FOREIGN KEY (\"user_id\") REFERENCES \"users\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"risk_detections\" ADD CONSTRAINT \"FK_dbeab167e7114530a4c00f15991\" FOREIGN KEY (\"flag_id\") REFERENCES \"risk_flags\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"risk_flag_notes\" ADD CONSTRAINT \"FK_a60054c3d80e38ecbfb870faa01\" FOREIGN KEY (\"flag_id\") REFERENCES \"risk_flags\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"risk_flag_notes\" DROP CONSTRAINT \"FK_a60054c3d80e38ecbfb870faa01\"");
    await queryRunner.query("ALTER TABLE \"risk_detections\" DROP CONSTRAINT \"FK_dbeab167e7114530a4c00f15991\"");
    await queryRunner.query("ALTER TABLE \"risk_flags\" DROP CONSTRAINT \"FK_25fcc18b4645e5ed16d97a1d542\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_risk_flag_notes_flag\"");
    await queryRunner.query("DROP TABLE \"risk_flag_notes\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_risk_detections_flag\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_risk_detections_reference\"");
    await queryRunner.query("DROP TABLE \"risk_detections\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_risk_flags_triage\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_risk_flags_user_scope\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_risk_flags_escalation_due\"");
    await queryRunner.query("DROP TABLE \"risk_flags\"");
  }
}
