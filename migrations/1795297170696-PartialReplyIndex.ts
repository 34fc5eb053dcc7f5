import { MigrationInterface, QueryRunner } from 'typeorm';

/** Replies are indexed only where there is one: a plain send no longer writes an index entry for a NULL reply_to_id. */
export class PartialReplyIndex1795297170696 implements MigrationInterface {
  name = 'PartialReplyIndex1795297170696';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."ix_messages_reply_to"');
    await queryRunner.query('CREATE INDEX "ix_messages_reply_to" ON "messages" ("reply_to_id") WHERE reply_to_id IS NOT NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."ix_messages_reply_to"');
    await queryRunner.query('CREATE INDEX "ix_messages_reply_to" ON "messages" ("reply_to_id") ');
  }
}
