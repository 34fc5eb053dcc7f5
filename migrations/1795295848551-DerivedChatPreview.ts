import { MigrationInterface, QueryRunner } from 'typeorm';

/** Chat previews are read from the last message itself: edits and deletions show at once, and a send encrypts once. */
export class DerivedChatPreview1795295848551 implements MigrationInterface {
  name = 'DerivedChatPreview1795295848551';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"conversations\" DROP COLUMN \"last_message_preview\"");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"conversations\" ADD \"last_message_preview\" text");
  }
}
