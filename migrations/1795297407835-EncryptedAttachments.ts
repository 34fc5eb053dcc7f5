import { MigrationInterface, QueryRunner } from 'typeorm';

/** Attachments are written encrypted; files uploaded before stay readable as they are (encrypted = false). */
export class EncryptedAttachments1795297407835 implements MigrationInterface {
  name = 'EncryptedAttachments1795297407835';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"attachments\" ADD \"encrypted\" boolean NOT NULL DEFAULT false");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"attachments\" DROP COLUMN \"encrypted\"");
  }
}
