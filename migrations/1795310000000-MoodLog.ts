import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The mood log. Each entry keeps its local calendar day (computed at write time in the
 * user's time zone), so analytics group by an indexed column and a later time-zone change
 * does not move old entries. (user_id, logged_at, id) serves the list and the export's
 * keyset batches; (user_id, local_date) the counts and streaks.
 */
export class MoodLog1795310000000 implements MigrationInterface {
  name = 'MoodLog1795310000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "CREATE TABLE \"mood_entries\" (\"id\" uuid NOT NULL, \"user_id\" uuid NOT NULL, \"mood\" character varying(16) NOT NULL, \"intensity\" smallint, \"note\" text, \"tags\" jsonb NOT NULL DEFAULT '[]', \"logged_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"local_date\" date NOT NULL, \"time_zone\" character varying(64) NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_mood_entries_intensity\" CHECK (\"intensity\" BETWEEN 1 AND 10), CONSTRAINT \"ck_mood_entries_mood\" CHECK (\"mood\" IN ('happy', 'calm', 'content', 'neutral', 'tired', 'sad', 'anxious', 'stressed', 'angry', 'lonely')), CONSTRAINT \"PK_535e463ec1fc30ee283f69f849c\" PRIMARY KEY (\"id\"))",
    );
    await queryRunner.query("CREATE INDEX \"ix_mood_entries_user_local_date\" ON \"mood_entries\"  (\"user_id\", \"local_date\") ");
    await queryRunner.query("CREATE INDEX \"ix_mood_entries_user_logged\" ON \"mood_entries\"  (\"user_id\", \"logged_at\", \"id\") ");
    await queryRunner.query(
      "ALTER TABLE \"mood_entries\" ADD CONSTRAINT \"FK_8105931b79823bfc93b78614792\" FOREIGN KEY (\"user_id\") REFERENCES \"users\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"mood_entries\" DROP CONSTRAINT \"FK_8105931b79823bfc93b78614792\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_mood_entries_user_logged\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_mood_entries_user_local_date\"");
    await queryRunner.query("DROP TABLE \"mood_entries\"");
  }
}
