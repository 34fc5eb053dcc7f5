import { MigrationInterface, QueryRunner } from 'typeorm';

/** PHQ-9 and GAD-7 responses (answers, score, band) and the safety signals they raise. */
export class Screeners1795312000000 implements MigrationInterface {
  name = 'Screeners1795312000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"screener_responses\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"user_id\" uuid NOT NULL, \"instrument\" character varying(8) NOT NULL, \"answers\" smallint array NOT NULL, \"total_score\" smallint NOT NULL, \"severity\" character varying(24) NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_screener_responses_total_score\" CHECK (\"total_score\" BETWEEN 0 AND 27), CONSTRAINT \"ck_screener_responses_severity\" CHECK (\"severity\" IN ('minimal', 'mild', 'moderate', 'moderately_severe', 'severe')), CONSTRAINT \"ck_screener_responses_answers\" CHECK (cardinality(\"answers\") = CASE \"instrument\" WHEN 'phq9' THEN 9 WHEN 'gad7' THEN 7 END AND 0 <= ALL(\"answers\") AND 3 >= ALL(\"answers\")), CONSTRAINT \"ck_screener_responses_instrument\" CHECK (\"instrument\" IN ('phq9', 'gad7')), CONSTRAINT \"PK_228b5ade030b5d78ee9d38c7836\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_screener_responses_user_created\" ON \"screener_responses\"  (\"user_id\", \"created_at\") ");
    await queryRunner.query("CREATE TABLE \"safety_signals\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"user_id\" uuid NOT NULL, \"screener_response_id\" uuid NOT NULL, \"kind\" character varying(32) NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_safety_signals_kind\" CHECK (\"kind\" IN ('phq9_item9')), CONSTRAINT \"PK_8c3fc8e980d6ebe2c6a8a3f1ee2\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_safety_signals_user_created\" ON \"safety_signals\"  (\"user_id\", \"created_at\") ");
    await queryRunner.query("CREATE INDEX \"ix_safety_signals_created\" ON \"safety_signals\"  (\"created_at\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_safety_signals_response_kind\" ON \"safety_signals\"  (\"screener_response_id\", \"kind\") ");
    await queryRunner.query("ALTER TABLE \"screener_responses\" ADD CONSTRAINT \"FK_f5da9464b9e610f7fbf2ebc6457\" FOREIGN KEY (\"user_id\") REFERENCES \"users\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"safety_signals\" ADD CONSTRAINT \"FK_76291b9c193665438f0e7032306\" FOREIGN KEY (\"user_id\") REFERENCES \"users\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"safety_signals\" ADD CONSTRAINT \"FK_f6f0d67063691ac7b8afbf1884f\" FOREIGN KEY (\"screener_response_id\") REFERENCES \"screener_responses\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"safety_signals\" DROP CONSTRAINT \"FK_f6f0d67063691ac7b8afbf1884f\"");
    await queryRunner.query("ALTER TABLE \"safety_signals\" DROP CONSTRAINT \"FK_76291b9c193665438f0e7032306\"");
    await queryRunner.query("ALTER TABLE \"screener_responses\" DROP CONSTRAINT \"FK_f5da9464b9e610f7fbf2ebc6457\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_safety_signals_response_kind\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_safety_signals_created\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_safety_signals_user_created\"");
    await queryRunner.query("DROP TABLE \"safety_signals\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_screener_responses_user_created\"");
    await queryRunner.query("DROP TABLE \"screener_responses\"");
  }
}
