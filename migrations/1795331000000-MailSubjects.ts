import { MigrationInterface, QueryRunner } from 'typeorm';

/** Each stored mail names the accounts it is to or about, so erasing an account deletes its mail. */
export class MailSubjects1795331000000 implements MigrationInterface {
  name = 'MailSubjects1795331000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"mail_messages\" ADD \"user_ids\" uuid array NOT NULL DEFAULT '{}'");
    await queryRunner.query('CREATE INDEX "ix_mail_messages_user_ids" ON "mail_messages" USING gin ("user_ids")');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "ix_mail_messages_user_ids"');
    await queryRunner.query('ALTER TABLE "mail_messages" DROP COLUMN "user_ids"');
  }
}
