import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every change that can alter who an access token stands for — a session revoked, ended or
 * removed; an account's role, status or verification changed, or the account removed —
 * sends `NOTIFY haven_principal_changed, '<user id>'` when it commits, whoever writes it
 * (an API node, a worker, a command, SQL by hand). API nodes drop what they cached for that
 * user (src/modules/auth/principal-cache.ts).
 */
export class PrincipalChangeNotices1795300000000 implements MigrationInterface {
  name = 'PrincipalChangeNotices1795300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION haven_notify_principal_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- Separate statements: each table's row has only its own column.
        IF TG_TABLE_NAME = 'users' THEN
          PERFORM pg_notify('haven_principal_changed', OLD.id::text);
        ELSE
          PERFORM pg_notify('haven_principal_changed', OLD.user_id::text);
        END IF;
        RETURN NULL;
      END $$`);
    // Only real changes notify (a save that rewrites the same role does not).
    await queryRunner.query(`
      CREATE TRIGGER haven_users_principal_changed AFTER UPDATE ON users FOR EACH ROW
      WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.status IS DISTINCT FROM NEW.status
            OR OLD.is_verified IS DISTINCT FROM NEW.is_verified OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at)
      EXECUTE FUNCTION haven_notify_principal_changed()`);
    await queryRunner.query(`
      CREATE TRIGGER haven_users_principal_removed AFTER DELETE ON users FOR EACH ROW EXECUTE FUNCTION haven_notify_principal_changed()`);
    await queryRunner.query(`
      CREATE TRIGGER haven_sessions_principal_changed AFTER UPDATE ON auth_sessions FOR EACH ROW
      WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.expires_at IS DISTINCT FROM NEW.expires_at OR OLD.user_id IS DISTINCT FROM NEW.user_id)
      EXECUTE FUNCTION haven_notify_principal_changed()`);
    await queryRunner.query(`
      CREATE TRIGGER haven_sessions_principal_removed AFTER DELETE ON auth_sessions FOR EACH ROW EXECUTE FUNCTION haven_notify_principal_changed()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER haven_sessions_principal_removed ON auth_sessions');
    await queryRunner.query('DROP TRIGGER haven_sessions_principal_changed ON auth_sessions');
    await queryRunner.query('DROP TRIGGER haven_users_principal_removed ON users');
    await queryRunner.query('DROP TRIGGER haven_users_principal_changed ON users');
    await queryRunner.query('DROP FUNCTION haven_notify_principal_changed()');
  }
}
