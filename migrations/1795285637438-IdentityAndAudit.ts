import { MigrationInterface, QueryRunner } from 'typeorm';

export class IdentityAndAudit1795285637438 implements MigrationInterface {
  name = 'IdentityAndAudit1795285637438';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"users\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"email\" character varying(320) NOT NULL, \"username\" character varying(30), \"password_hash\" text, \"first_name\" character varying(100) NOT NULL DEFAULT '', \"last_name\" character varying(100) NOT NULL DEFAULT '', \"role\" character varying(16) NOT NULL DEFAULT 'client', \"is_verified\" boolean NOT NULL DEFAULT false, \"status\" character varying(16) NOT NULL DEFAULT 'active', \"personality_data\" jsonb, \"two_factor_enabled\" boolean NOT NULL DEFAULT false, \"totp_secret\" text, \"totp_last_step\" integer, \"failed_login_count\" integer NOT NULL DEFAULT '0', \"locked_until\" TIMESTAMP WITH TIME ZONE, \"last_login_at\" TIMESTAMP WITH TIME ZONE, \"password_changed_at\" TIMESTAMP WITH TIME ZONE, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"deleted_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"ck_users_failed_login_count\" CHECK (\"failed_login_count\" >= 0), CONSTRAINT \"ck_users_status\" CHECK (\"status\" IN ('active', 'suspended', 'deleted')), CONSTRAINT \"ck_users_role\" CHECK (\"role\" IN ('client', 'therapist', 'friend', 'manager', 'admin')), CONSTRAINT \"PK_a3ffb1c0c8416b9fc6f907b7433\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_users_created_at\" ON \"users\"  (\"created_at\") ");
    await queryRunner.query("CREATE INDEX \"ix_users_role_status\" ON \"users\"  (\"role\", \"status\") ");
    // Hand-written: TypeORM cannot describe expression indexes (the entity marks them synchronize: false).
    await queryRunner.query('CREATE UNIQUE INDEX "uq_users_email_lower" ON "users" (lower("email"))');
    await queryRunner.query('CREATE UNIQUE INDEX "uq_users_username_lower" ON "users" (lower("username")) WHERE "username" IS NOT NULL');
    await queryRunner.query("CREATE TABLE \"audit_log\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"occurred_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"actor_id\" uuid, \"action\" character varying(64) NOT NULL, \"target_type\" character varying(32), \"target_id\" character varying(64), \"request_id\" character varying(64), \"ip\" character varying(64), \"detail\" jsonb NOT NULL DEFAULT '{}', CONSTRAINT \"PK_07fefa57f7f5ab8fc3f52b3ed0b\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_audit_log_target\" ON \"audit_log\"  (\"target_id\", \"occurred_at\") ");
    await queryRunner.query("CREATE INDEX \"ix_audit_log_actor\" ON \"audit_log\"  (\"actor_id\", \"occurred_at\") ");
    await queryRunner.query("CREATE INDEX \"ix_audit_log_action\" ON \"audit_log\"  (\"action\", \"occurred_at\") ");
    await queryRunner.query("CREATE INDEX \"ix_audit_log_occurred_at\" ON \"audit_log\"  (\"occurred_at\") ");
    // Hand-written: the audit log is append-only, enforced by the database itself.
    await queryRunner.query(
      "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$",
    );
    await queryRunner.query(
      'CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()',
    );
    await queryRunner.query('CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()');
    await queryRunner.query("CREATE TABLE \"api_tokens\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"user_id\" uuid NOT NULL, \"name\" character varying(100) NOT NULL, \"prefix\" character varying(16) NOT NULL, \"token_hash\" character(64) NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"last_used_at\" TIMESTAMP WITH TIME ZONE, \"expires_at\" TIMESTAMP WITH TIME ZONE, \"revoked_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"PK_c587455266b5fa8dace7194caac\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_api_tokens_user\" ON \"api_tokens\"  (\"user_id\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_api_tokens_prefix\" ON \"api_tokens\"  (\"prefix\") ");
    await queryRunner.query("CREATE TABLE \"auth_sessions\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"user_id\" uuid NOT NULL, \"generation\" integer NOT NULL DEFAULT '0', \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"last_used_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"expires_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"revoked_at\" TIMESTAMP WITH TIME ZONE, \"revoked_reason\" character varying(32), \"ip\" character varying(64), \"user_agent\" character varying(300), CONSTRAINT \"PK_641507381f32580e8479efc36cd\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_auth_sessions_user\" ON \"auth_sessions\"  (\"user_id\") ");
    await queryRunner.query("CREATE TABLE \"recovery_codes\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"user_id\" uuid NOT NULL, \"code_hash\" character(64) NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"used_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"PK_0723b9e53961e799027d7f7ba32\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_recovery_codes_user_hash\" ON \"recovery_codes\"  (\"user_id\", \"code_hash\") ");
    await queryRunner.query("ALTER TABLE \"api_tokens\" ADD CONSTRAINT \"FK_b74883f5884a42fd8496d389b25\" FOREIGN KEY (\"user_id\") REFERENCES \"users\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"auth_sessions\" ADD CONSTRAINT \"FK_50ccaa6440288a06f0ba693ccc6\" FOREIGN KEY (\"user_id\") REFERENCES \"users\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"recovery_codes\" ADD CONSTRAINT \"FK_fb82b2ac740ca095b617afad031\" FOREIGN KEY (\"user_id\") REFERENCES \"users\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"recovery_codes\" DROP CONSTRAINT \"FK_fb82b2ac740ca095b617afad031\"");
    await queryRunner.query("ALTER TABLE \"auth_sessions\" DROP CONSTRAINT \"FK_50ccaa6440288a06f0ba693ccc6\"");
    await queryRunner.query("ALTER TABLE \"api_tokens\" DROP CONSTRAINT \"FK_b74883f5884a42fd8496d389b25\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_recovery_codes_user_hash\"");
    await queryRunner.query("DROP TABLE \"recovery_codes\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_auth_sessions_user\"");
    await queryRunner.query("DROP TABLE \"auth_sessions\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_api_tokens_prefix\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_api_tokens_user\"");
    await queryRunner.query("DROP TABLE \"api_tokens\"");
    await queryRunner.query('DROP TRIGGER "audit_log_no_truncate" ON "audit_log"');
    await queryRunner.query('DROP TRIGGER "audit_log_no_change" ON "audit_log"');
    await queryRunner.query('DROP FUNCTION audit_log_append_only()');
    await queryRunner.query("DROP INDEX \"public\".\"ix_audit_log_occurred_at\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_audit_log_action\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_audit_log_actor\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_audit_log_target\"");
    await queryRunner.query("DROP TABLE \"audit_log\"");
    await queryRunner.query('DROP INDEX "public"."uq_users_username_lower"');
    await queryRunner.query('DROP INDEX "public"."uq_users_email_lower"');
    await queryRunner.query("DROP INDEX \"public\".\"ix_users_role_status\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_users_created_at\"");
    await queryRunner.query("DROP TABLE \"users\"");
  }
}
