import { MigrationInterface, QueryRunner } from 'typeorm';

/** Matches between clients and providers (one open match per pair), and clients' matching preferences. */
export class Matching1795322000000 implements MigrationInterface {
  name = 'Matching1795322000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"matches\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"client_id\" uuid NOT NULL, \"provider_id\" uuid NOT NULL, \"status\" character varying(16) NOT NULL DEFAULT 'pending', \"score\" smallint, \"reasons\" jsonb NOT NULL DEFAULT '[]', \"scored_at\" TIMESTAMP WITH TIME ZONE, \"created_by_id\" uuid, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_matches_pair\" CHECK (\"client_id\" <> \"provider_id\"), CONSTRAINT \"ck_matches_score\" CHECK (\"score\" BETWEEN 0 AND 100), CONSTRAINT \"ck_matches_status\" CHECK (\"status\" IN ('pending', 'accepted', 'declined')), CONSTRAINT \"PK_8a22c7b2e0828988d51256117f4\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_matches_client\" ON \"matches\"  (\"client_id\", \"created_at\") ");
    await queryRunner.query("CREATE INDEX \"ix_matches_provider\" ON \"matches\"  (\"provider_id\", \"created_at\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"ux_matches_open_pair\" ON \"matches\"  (\"client_id\", \"provider_id\") WHERE \"status\" IN ('pending', 'accepted')");
    await queryRunner.query("CREATE TABLE \"matching_preferences\" (\"user_id\" uuid NOT NULL, \"languages\" character varying(2) array NOT NULL, \"topics\" character varying(60) array NOT NULL, \"session_types\" character varying(8) array NOT NULL, \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_f767f6b8f77dd1a5318b52a6702\" PRIMARY KEY (\"user_id\"))");
    await queryRunner.query("ALTER TABLE \"matches\" ADD CONSTRAINT \"FK_c2a209ec7a10a64e7183973595f\" FOREIGN KEY (\"client_id\") REFERENCES \"users\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"matches\" ADD CONSTRAINT \"FK_16120779fc460d91520cd0e75e6\" FOREIGN KEY (\"provider_id\") REFERENCES \"users\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"matches\" ADD CONSTRAINT \"FK_746101a0d524f64a2fe896a905f\" FOREIGN KEY (\"created_by_id\") REFERENCES \"users\"(\"id\") ON DELETE SET NULL ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"matching_preferences\" ADD CONSTRAINT \"FK_f767f6b8f77dd1a5318b52a6702\" FOREIGN KEY (\"user_id\") REFERENCES \"users\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"matching_preferences\" DROP CONSTRAINT \"FK_f767f6b8f77dd1a5318b52a6702\"");
    await queryRunner.query("ALTER TABLE \"matches\" DROP CONSTRAINT \"FK_746101a0d524f64a2fe896a905f\"");
    await queryRunner.query("ALTER TABLE \"matches\" DROP CONSTRAINT \"FK_16120779fc460d91520cd0e75e6\"");
    await queryRunner.query("ALTER TABLE \"matches\" DROP CONSTRAINT \"FK_c2a209ec7a10a64e7183973595f\"");
    await queryRunner.query("DROP TABLE \"matching_preferences\"");
    await queryRunner.query("DROP INDEX \"public\".\"ux_matches_open_pair\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_matches_provider\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_matches_client\"");
    await queryRunner.query("DROP TABLE \"matches\"");
  }
}
