import { MigrationInterface, QueryRunner } from 'typeorm';

/** Feedback on completed sessions: one per session (unique), rating 1–5, encrypted comment, categories. */
export class Feedback1795321000000 implements MigrationInterface {
  name = 'Feedback1795321000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "CREATE TABLE \"session_feedback\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"session_id\" uuid NOT NULL, \"client_id\" uuid NOT NULL, \"provider_id\" uuid NOT NULL, \"rating\" smallint NOT NULL, \"comment_encrypted\" text, \"categories\" character varying(32) array NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"uq_session_feedback_session\" UNIQUE (\"session_id\"), CONSTRAINT \"ck_session_feedback_rating\" CHECK (\"rating\" BETWEEN 1 AND 5), CONSTRAINT \"PK_5351647a4a00ccbca90adb057f6\" PRIMARY KEY (\"id\"))",
    );
    await queryRunner.query("CREATE INDEX \"ix_session_feedback_provider\" ON \"session_feedback\" (\"provider_id\", \"created_at\") ");
    await queryRunner.query("CREATE INDEX \"ix_session_feedback_client\" ON \"session_feedback\" (\"client_id\", \"created_at\") ");
    await queryRunner.query(
      "ALTER TABLE \"session_feedback\" ADD CONSTRAINT \"FK_2a2e14a35ecefd7803561e15253\" FOREIGN KEY (\"session_id\") REFERENCES \"care_sessions\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"session_feedback\" DROP CONSTRAINT \"FK_2a2e14a35ecefd7803561e15253\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_session_feedback_client\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_session_feedback_provider\"");
    await queryRunner.query("DROP TABLE \"session_feedback\"");
  }
}
