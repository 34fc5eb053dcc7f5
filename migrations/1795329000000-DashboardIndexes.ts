import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the admin dashboard's figures: accounts by role, status and verification (the
 * role-and-status index gains `is_verified`, so the counts are an index-only scan; its
 * role and status prefix still serves the lists), sessions starting in a week (a range read
 * by start time) and open alarms (count and oldest, without reading resolved ones).
 */
export class DashboardIndexes1795329000000 implements MigrationInterface {
  name = 'DashboardIndexes1795329000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"public\".\"ix_users_role_status\"");
    await queryRunner.query("CREATE INDEX \"ix_users_role_status_verified\" ON \"users\"  (\"role\", \"status\", \"is_verified\") ");
    await queryRunner.query("CREATE INDEX \"ix_care_sessions_starts\" ON \"care_sessions\"  (\"starts_at\") ");
    await queryRunner.query("CREATE INDEX \"ix_alarms_open\" ON \"alarms\"  (\"triggered_at\") WHERE status = 'open'");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"public\".\"ix_alarms_open\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_care_sessions_starts\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_users_role_status_verified\"");
    await queryRunner.query("CREATE INDEX \"ix_users_role_status\" ON \"users\"  (\"role\", \"status\") ");
  }
}
