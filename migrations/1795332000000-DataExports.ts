import { MigrationInterface, QueryRunner } from 'typeorm';

/** Users' data export requests and their encrypted archives. */
export class DataExports1795332000000 implements MigrationInterface {
  name = 'DataExports1795332000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"data_exports\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"user_id\" uuid NOT NULL, \"status\" character varying(16) NOT NULL DEFAULT 'pending', \"requested_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"ready_at\" TIMESTAMP WITH TIME ZONE, \"expires_at\" TIMESTAMP WITH TIME ZONE, \"archive_encrypted\" text, \"size_bytes\" integer, \"link_token_hash\" character(64), \"link_expires_at\" TIMESTAMP WITH TIME ZONE, \"link_used_at\" TIMESTAMP WITH TIME ZONE, \"downloads\" integer NOT NULL DEFAULT '0', \"last_error\" character varying(300), CONSTRAINT \"ck_data_exports_status\" CHECK (\"status\" IN ('pending', 'ready', 'failed', 'expired')), CONSTRAINT \"PK_3e8b8b297ef4446f30527695c10\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_data_exports_expiry\" ON \"data_exports\"  (\"expires_at\") WHERE status = 'ready'");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_data_exports_pending\" ON \"data_exports\"  (\"user_id\") WHERE status = 'pending'");
    await queryRunner.query("CREATE INDEX \"ix_data_exports_user\" ON \"data_exports\"  (\"user_id\", \"requested_at\") ");
    await queryRunner.query("ALTER TABLE \"data_exports\" ADD CONSTRAINT \"FK_8ee9254a3040f10d3f57d789d29\" FOREIGN KEY (\"user_id\") REFERENCES \"users\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"data_exports\" DROP CONSTRAINT \"FK_8ee9254a3040f10d3f57d789d29\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_data_exports_user\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_data_exports_pending\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_data_exports_expiry\"");
    await queryRunner.query("DROP TABLE \"data_exports\"");
  }
}
