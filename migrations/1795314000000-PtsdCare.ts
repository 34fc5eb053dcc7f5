import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The PTSD app: profiles, emergency contacts, therapist contacts, the music catalogue and
 * alarm scenarios, with a few calming tracks and the default scenario to start from.
 */
export class PtsdCare1795314000000 implements MigrationInterface {
  name = 'PtsdCare1795314000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"music_tracks\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"name\" character varying(120) NOT NULL, \"url\" character varying(2048) NOT NULL, \"duration_seconds\" integer, \"active\" boolean NOT NULL DEFAULT true, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_music_tracks_duration\" CHECK (\"duration_seconds\" BETWEEN 1 AND 36000), CONSTRAINT \"PK_90508cc4c5b065f30f1ff420826\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE TABLE \"alarm_scenarios\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"name\" character varying(120) NOT NULL, \"play_music\" boolean NOT NULL DEFAULT true, \"notify_contacts\" boolean NOT NULL DEFAULT true, \"notify_therapist\" boolean NOT NULL DEFAULT false, \"message_en\" character varying(1000) NOT NULL, \"message_ru\" character varying(1000), \"is_default\" boolean NOT NULL DEFAULT false, \"active\" boolean NOT NULL DEFAULT true, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_alarm_scenarios_default_active\" CHECK (NOT \"is_default\" OR \"active\"), CONSTRAINT \"PK_de0258941fcdfd2c4ac555aff2a\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_alarm_scenarios_default\" ON \"alarm_scenarios\"  (\"is_default\") WHERE is_default");
    await queryRunner.query("CREATE TABLE \"ptsd_profiles\" (\"user_id\" uuid NOT NULL, \"age\" smallint, \"location\" character varying(200), \"military_status\" boolean, \"ptsd_level\" smallint, \"music_track_id\" uuid, \"scenario_id\" uuid, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_ptsd_profiles_ptsd_level\" CHECK (\"ptsd_level\" BETWEEN 1 AND 5), CONSTRAINT \"ck_ptsd_profiles_age\" CHECK (\"age\" BETWEEN 13 AND 120), CONSTRAINT \"PK_e6e1b3c6b636090ecbf1fad487c\" PRIMARY KEY (\"user_id\"))");
    await queryRunner.query("CREATE INDEX \"ix_ptsd_profiles_music_track\" ON \"ptsd_profiles\"  (\"music_track_id\") ");
    await queryRunner.query("CREATE INDEX \"ix_ptsd_profiles_scenario\" ON \"ptsd_profiles\"  (\"scenario_id\") ");
    await queryRunner.query("CREATE TABLE \"emergency_contacts\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"user_id\" uuid NOT NULL, \"name\" character varying(100) NOT NULL, \"phone\" character varying(16) NOT NULL, \"email\" character varying(254), \"relationship\" character varying(60) NOT NULL, \"language\" character varying(2) NOT NULL DEFAULT 'en', \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_emergency_contacts_language\" CHECK (\"language\" IN ('en', 'ru')), CONSTRAINT \"PK_8be191845b6fca1c4e5ba5bd7d1\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_emergency_contacts_user_created\" ON \"emergency_contacts\"  (\"user_id\", \"created_at\") ");
    await queryRunner.query("CREATE TABLE \"therapist_contacts\" (\"user_id\" uuid NOT NULL, \"kind\" character varying(16) NOT NULL, \"name\" character varying(100), \"phone\" character varying(16), \"email\" character varying(254), \"therapist_user_id\" uuid, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_therapist_contacts_shape\" CHECK ((\"kind\" = 'external' AND \"name\" IS NOT NULL AND \"phone\" IS NOT NULL AND \"email\" IS NOT NULL AND \"therapist_user_id\" IS NULL) OR (\"kind\" = 'platform' AND \"therapist_user_id\" IS NOT NULL AND \"name\" IS NULL AND \"phone\" IS NULL AND \"email\" IS NULL)), CONSTRAINT \"ck_therapist_contacts_kind\" CHECK (\"kind\" IN ('external', 'platform')), CONSTRAINT \"PK_1615624b435897de98678d40cdd\" PRIMARY KEY (\"user_id\"))");
    await queryRunner.query("CREATE INDEX \"ix_therapist_contacts_therapist_user\" ON \"therapist_contacts\"  (\"therapist_user_id\") ");
    await queryRunner.query("ALTER TABLE \"ptsd_profiles\" ADD CONSTRAINT \"FK_e6e1b3c6b636090ecbf1fad487c\" FOREIGN KEY (\"user_id\") REFERENCES \"users\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"ptsd_profiles\" ADD CONSTRAINT \"FK_528b106125b43e3c0ba082f437c\" FOREIGN KEY (\"music_track_id\") REFERENCES \"music_tracks\"(\"id\") ON DELETE NO ACTION ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"ptsd_profiles\" ADD CONSTRAINT \"FK_25b0270a111a3028ac8c0fe9100\" FOREIGN KEY (\"scenario_id\") REFERENCES \"alarm_scenarios\"(\"id\") ON DELETE NO ACTION ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"emergency_contacts\" ADD CONSTRAINT \"FK_1cf39ea46db44d95b34d58d3605\" FOREIGN KEY (\"user_id\") REFERENCES \"users\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"therapist_contacts\" ADD CONSTRAINT \"FK_1615624b435897de98678d40cdd\" FOREIGN KEY (\"user_id\") REFERENCES \"users\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"therapist_contacts\" ADD CONSTRAINT \"FK_23287398cb62fad5ac8a1595963\" FOREIGN KEY (\"therapist_user_id\") REFERENCES \"users\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");

    // Starter catalogue, on a placeholder host: operators replace the URLs with their own media.
    await queryRunner.query(
      `INSERT INTO "music_tracks" ("id", "name", "url", "duration_seconds") VALUES
        ('0a95058c-f21b-4e35-a10f-e572f04c4067', 'Ocean waves', 'https://media.haven.example/calm/ocean-waves.mp3', 600),
        ('4bee64b9-0e7f-4223-95e0-c59457be3dce', 'Gentle rain', 'https://media.haven.example/calm/gentle-rain.mp3', 600),
        ('cd73f1a1-b466-48ce-9ed8-fec6c784ab2e', 'Forest birdsong', 'https://media.haven.example/calm/forest-birdsong.mp3', 600),
        ('b614039a-a506-41aa-8afb-022d40f1eee8', 'Slow breathing guide', 'https://media.haven.example/calm/slow-breathing.mp3', 300)`,
    );
    // The default scenario; {first_name} is replaced with the name of the user who pressed the alarm.
    await queryRunner.query(
      `INSERT INTO "alarm_scenarios" ("id", "name", "play_music", "notify_contacts", "notify_therapist", "message_en", "message_ru", "is_default") VALUES
        ('2b824072-d089-49fc-94de-d9cffd5a1f57', 'Call for support', true, true, true, $1, $2, true)`,
      [
        '{first_name} has pressed their alarm and may need you now. Please call or message them.',
        '{first_name} нажимает тревожную кнопку и, возможно, нуждается в вас прямо сейчас. Пожалуйста, позвоните или напишите.',
      ],
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"therapist_contacts\" DROP CONSTRAINT \"FK_23287398cb62fad5ac8a1595963\"");
    await queryRunner.query("ALTER TABLE \"therapist_contacts\" DROP CONSTRAINT \"FK_1615624b435897de98678d40cdd\"");
    await queryRunner.query("ALTER TABLE \"emergency_contacts\" DROP CONSTRAINT \"FK_1cf39ea46db44d95b34d58d3605\"");
    await queryRunner.query("ALTER TABLE \"ptsd_profiles\" DROP CONSTRAINT \"FK_25b0270a111a3028ac8c0fe9100\"");
    await queryRunner.query("ALTER TABLE \"ptsd_profiles\" DROP CONSTRAINT \"FK_528b106125b43e3c0ba082f437c\"");
    await queryRunner.query("ALTER TABLE \"ptsd_profiles\" DROP CONSTRAINT \"FK_e6e1b3c6b636090ecbf1fad487c\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_therapist_contacts_therapist_user\"");
    await queryRunner.query("DROP TABLE \"therapist_contacts\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_emergency_contacts_user_created\"");
    await queryRunner.query("DROP TABLE \"emergency_contacts\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_ptsd_profiles_scenario\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_ptsd_profiles_music_track\"");
    await queryRunner.query("DROP TABLE \"ptsd_profiles\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_alarm_scenarios_default\"");
    await queryRunner.query("DROP TABLE \"alarm_scenarios\"");
    await queryRunner.query("DROP TABLE \"music_tracks\"");
  }
}
