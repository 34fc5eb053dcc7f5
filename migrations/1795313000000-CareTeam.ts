import { MigrationInterface, QueryRunner } from 'typeorm';

/** Care-team grants: which therapist may read which of a client's self-care data; one active grant per pair. */
export class CareTeam1795313000000 implements MigrationInterface {
  name = 'CareTeam1795313000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"care_grants\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"client_id\" uuid NOT NULL, \"therapist_id\" uuid NOT NULL, \"scopes\" character varying(16) array NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE, \"revoked_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"ck_care_grants_scopes\" CHECK (cardinality(\"scopes\") > 0), CONSTRAINT \"PK_c9fd4577913a83ec5276de56f47\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_care_grants_therapist\" ON \"care_grants\"  (\"therapist_id\", \"revoked_at\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_care_grants_active_pair\" ON \"care_grants\"  (\"client_id\", \"therapist_id\") WHERE revoked_at IS NULL");
    await queryRunner.query("ALTER TABLE \"care_grants\" ADD CONSTRAINT \"FK_460bc1397d76a6beb31c9aefed8\" FOREIGN KEY (\"client_id\") REFERENCES \"users\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"care_grants\" ADD CONSTRAINT \"FK_f940de4346fcae400adb8be22eb\" FOREIGN KEY (\"therapist_id\") REFERENCES \"users\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"care_grants\" DROP CONSTRAINT \"FK_f940de4346fcae400adb8be22eb\"");
    await queryRunner.query("ALTER TABLE \"care_grants\" DROP CONSTRAINT \"FK_460bc1397d76a6beb31c9aefed8\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_care_grants_active_pair\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_care_grants_therapist\"");
    await queryRunner.query("DROP TABLE \"care_grants\"");
  }
}
