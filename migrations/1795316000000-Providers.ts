import { MigrationInterface, QueryRunner } from 'typeorm';

/** Provider profiles (prices in minor units, zone, buffer, rating), weekly availability rules and dated exceptions. */
export class Providers1795316000000 implements MigrationInterface {
  name = 'Providers1795316000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"provider_profiles\" (\"user_id\" uuid NOT NULL, \"bio\" character varying(2000) NOT NULL, \"specialties\" character varying(60) array NOT NULL, \"languages\" character varying(2) array NOT NULL, \"price_text_minor\" integer, \"price_voice_minor\" integer, \"price_video_minor\" integer, \"currency\" character varying(3) NOT NULL, \"time_zone\" character varying(64) NOT NULL, \"accepting_new_clients\" boolean NOT NULL DEFAULT true, \"buffer_minutes\" integer NOT NULL DEFAULT '0', \"rating_average\" numeric(6,4) NOT NULL DEFAULT '0', \"rating_count\" integer NOT NULL DEFAULT '0', \"rating_sum\" integer NOT NULL DEFAULT '0', \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_provider_profiles_rating\" CHECK (\"rating_count\" >= 0 AND \"rating_sum\" >= 0 AND \"rating_average\" BETWEEN 0 AND 5), CONSTRAINT \"ck_provider_profiles_prices\" CHECK (COALESCE(\"price_text_minor\", 0) >= 0 AND COALESCE(\"price_voice_minor\", 0) >= 0 AND COALESCE(\"price_video_minor\", 0) >= 0), CONSTRAINT \"ck_provider_profiles_buffer\" CHECK (\"buffer_minutes\" BETWEEN 0 AND 120), CONSTRAINT \"PK_5d1880ed16ff13ea6fd9bca019d\" PRIMARY KEY (\"user_id\"))");
    await queryRunner.query("CREATE TABLE \"provider_availability_exceptions\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"provider_id\" uuid NOT NULL, \"kind\" character varying(16) NOT NULL, \"starts_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"ends_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_provider_availability_exceptions_range\" CHECK (\"starts_at\" < \"ends_at\"), CONSTRAINT \"ck_provider_availability_exceptions_kind\" CHECK (\"kind\" IN ('time_off', 'extra')), CONSTRAINT \"PK_2d808556a459de64adfeaed0b09\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_provider_availability_exceptions_provider\" ON \"provider_availability_exceptions\"  (\"provider_id\", \"ends_at\") ");
    await queryRunner.query("CREATE TABLE \"provider_availability_rules\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"provider_id\" uuid NOT NULL, \"weekday\" smallint NOT NULL, \"start_minute\" smallint NOT NULL, \"end_minute\" smallint NOT NULL, CONSTRAINT \"ck_provider_availability_rules_minutes\" CHECK (\"start_minute\" >= 0 AND \"end_minute\" <= 1440 AND \"start_minute\" < \"end_minute\"), CONSTRAINT \"ck_provider_availability_rules_weekday\" CHECK (\"weekday\" BETWEEN 1 AND 7), CONSTRAINT \"PK_d616deeb960df3ffbabfd9047ac\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_provider_availability_rules_provider\" ON \"provider_availability_rules\"  (\"provider_id\", \"weekday\") ");
    await queryRunner.query("ALTER TABLE \"provider_profiles\" ADD CONSTRAINT \"FK_5d1880ed16ff13ea6fd9bca019d\" FOREIGN KEY (\"user_id\") REFERENCES \"users\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"provider_availability_exceptions\" ADD CONSTRAINT \"FK_f1096611d3ac44040a044fc127b\" FOREIGN KEY (\"provider_id\") REFERENCES \"provider_profiles\"(\"user_id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"provider_availability_rules\" ADD CONSTRAINT \"FK_592c6d55066ebeb1dc631aaa995\" FOREIGN KEY (\"provider_id\") REFERENCES \"provider_profiles\"(\"user_id\") ON DELETE CASCADE ON UPDATE NO ACTION");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"provider_availability_rules\" DROP CONSTRAINT \"FK_592c6d55066ebeb1dc631aaa995\"");
    await queryRunner.query("ALTER TABLE \"provider_availability_exceptions\" DROP CONSTRAINT \"FK_f1096611d3ac44040a044fc127b\"");
    await queryRunner.query("ALTER TABLE \"provider_profiles\" DROP CONSTRAINT \"FK_5d1880ed16ff13ea6fd9bca019d\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_provider_availability_rules_provider\"");
    await queryRunner.query("DROP TABLE \"provider_availability_rules\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_provider_availability_exceptions_provider\"");
    await queryRunner.query("DROP TABLE \"provider_availability_exceptions\"");
    await queryRunner.query("DROP TABLE \"provider_profiles\"");
  }
}
