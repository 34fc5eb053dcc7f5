import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the admin dashboard's figures: sessions starting in a week (a range read by
 * start time) and open alarms (count and oldest, without reading resolved ones).
 */
export class DashboardIndexes1795329000000 implements MigrationInterface {
  name = 'DashboardIndexes1795329000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE INDEX \"ix_care_sessions_starts\" ON \"care_sessions\"  (\"starts_at\") ");
    await queryRunner.query("CREATE INDEX \"ix_alarms_open\" ON \"alarms\"  (\"triggered_at\") WHERE status = 'open'");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"public\".\"ix_alarms_open\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_care_sessions_starts\"");
  }
}
