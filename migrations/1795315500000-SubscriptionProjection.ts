import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The account's view of its subscription (status and the rate tier its plan grants),
 * written by the payments module. The rate tier is part of who an access token stands
 * for, so a change to it sends the principal change notice like a role change does.
 */
export class SubscriptionProjection1795315500000 implements MigrationInterface {
  name = 'SubscriptionProjection1795315500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "subscription_status" character varying(16) NOT NULL DEFAULT 'none'`);
    await queryRunner.query(`ALTER TABLE "users" ADD "rate_tier" character varying(16) NOT NULL DEFAULT 'standard'`);
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "ck_users_subscription_status" CHECK ("subscription_status" IN ('none', 'incomplete', 'active', 'past_due', 'cancelled'))`,
    );
    await queryRunner.query(`ALTER TABLE "users" ADD CONSTRAINT "ck_users_rate_tier" CHECK ("rate_tier" IN ('standard', 'premium'))`);
    await queryRunner.query('DROP TRIGGER haven_users_principal_changed ON users');
    await queryRunner.query(`
      CREATE TRIGGER haven_users_principal_changed AFTER UPDATE ON users FOR EACH ROW
      WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.status IS DISTINCT FROM NEW.status
            OR OLD.is_verified IS DISTINCT FROM NEW.is_verified OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at
            OR OLD.rate_tier IS DISTINCT FROM NEW.rate_tier)
      EXECUTE FUNCTION haven_notify_principal_changed()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER haven_users_principal_changed ON users');
    await queryRunner.query(`
      CREATE TRIGGER haven_users_principal_changed AFTER UPDATE ON users FOR EACH ROW
      WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.status IS DISTINCT FROM NEW.status
            OR OLD.is_verified IS DISTINCT FROM NEW.is_verified OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at)
      EXECUTE FUNCTION haven_notify_principal_changed()`);
    await queryRunner.query('ALTER TABLE "users" DROP CONSTRAINT "ck_users_rate_tier"');
    await queryRunner.query('ALTER TABLE "users" DROP CONSTRAINT "ck_users_subscription_status"');
    await queryRunner.query('ALTER TABLE "users" DROP COLUMN "rate_tier"');
    await queryRunner.query('ALTER TABLE "users" DROP COLUMN "subscription_status"');
  }
}
