import { MigrationInterface, QueryRunner } from 'typeorm';

/** Goals and their progress entries (progress text encrypted by the app). */
export class Goals1795311000000 implements MigrationInterface {
  name = 'Goals1795311000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"goals\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"user_id\" uuid NOT NULL, \"title\" character varying(200) NOT NULL, \"description\" character varying(2000), \"target_date\" date, \"status\" character varying(16) NOT NULL DEFAULT 'active', \"completed_at\" TIMESTAMP WITH TIME ZONE, \"progress_count\" integer NOT NULL DEFAULT '0', \"last_progress_at\" TIMESTAMP WITH TIME ZONE, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_goals_progress_count\" CHECK (\"progress_count\" >= 0), CONSTRAINT \"ck_goals_completed_at\" CHECK ((\"status\" = 'completed') = (\"completed_at\" IS NOT NULL)), CONSTRAINT \"ck_goals_status\" CHECK (\"status\" IN ('active', 'completed')), CONSTRAINT \"PK_26e17b251afab35580dff769223\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_goals_user_created\" ON \"goals\"  (\"user_id\", \"created_at\") ");
    await queryRunner.query("CREATE TABLE \"goal_progress\" (\"id\" uuid NOT NULL, \"goal_id\" uuid NOT NULL, \"content\" text NOT NULL, \"mood_rating\" smallint, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_goal_progress_mood_rating\" CHECK (\"mood_rating\" BETWEEN 1 AND 10), CONSTRAINT \"PK_063570ca3418e9fc676a412e647\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_goal_progress_goal_created\" ON \"goal_progress\"  (\"goal_id\", \"created_at\") ");
    await queryRunner.query("ALTER TABLE \"goals\" ADD CONSTRAINT \"FK_88b78010581f2d293699d064441\" FOREIGN KEY (\"user_id\") REFERENCES \"users\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"goal_progress\" ADD CONSTRAINT \"FK_fc44fbf7a34978da5aa5ea414bc\" FOREIGN KEY (\"goal_id\") REFERENCES \"goals\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"goal_progress\" DROP CONSTRAINT \"FK_fc44fbf7a34978da5aa5ea414bc\"");
    await queryRunner.query("ALTER TABLE \"goals\" DROP CONSTRAINT \"FK_88b78010581f2d293699d064441\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_goal_progress_goal_created\"");
    await queryRunner.query("DROP TABLE \"goal_progress\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_goals_user_created\"");
    await queryRunner.query("DROP TABLE \"goals\"");
  }
}
