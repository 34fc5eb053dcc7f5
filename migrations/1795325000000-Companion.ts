import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The AI companion: conversations (encrypted title and rolling summary; `message_count`
 * hands out positions), their messages (encrypted text, unique position per conversation),
 * and the daily usage rows whose conditional increment holds the plan's quota.
 */
export class Companion1795325000000 implements MigrationInterface {
  name = 'Companion1795325000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "CREATE TABLE \"companion_conversations\" (\"id\" uuid NOT NULL, \"user_id\" uuid NOT NULL, \"title\" text, \"summary\" text, \"summarized_through\" integer NOT NULL DEFAULT '0', \"message_count\" integer NOT NULL DEFAULT '0', \"last_message_at\" TIMESTAMP WITH TIME ZONE, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_companion_conversations_counts\" CHECK (\"message_count\" >= 0 AND \"summarized_through\" >= 0), CONSTRAINT \"PK_188699bca3817790f3052f7cf2a\" PRIMARY KEY (\"id\"))",
    );
    await queryRunner.query("CREATE INDEX \"ix_companion_conversations_user_updated\" ON \"companion_conversations\"  (\"user_id\", \"updated_at\", \"id\") ");
    await queryRunner.query(
      "CREATE TABLE \"companion_messages\" (\"id\" uuid NOT NULL, \"conversation_id\" uuid NOT NULL, \"position\" integer NOT NULL, \"sender\" character varying(16) NOT NULL, \"text\" text NOT NULL, \"source\" character varying(16), \"crisis\" boolean NOT NULL DEFAULT false, \"keywords\" jsonb NOT NULL DEFAULT '[]', \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"uq_companion_messages_position\" UNIQUE (\"conversation_id\", \"position\"), CONSTRAINT \"ck_companion_messages_source\" CHECK (\"source\" IN ('model', 'offline', 'offline_fallback')), CONSTRAINT \"ck_companion_messages_sender\" CHECK (\"sender\" IN ('user', 'assistant', 'system')), CONSTRAINT \"PK_09fc7ff9584c0cf0b22c5ada7ae\" PRIMARY KEY (\"id\"))",
    );
    await queryRunner.query(
      "CREATE TABLE \"companion_usage\" (\"user_id\" uuid NOT NULL, \"day\" date NOT NULL, \"count\" integer NOT NULL DEFAULT '0', CONSTRAINT \"ck_companion_usage_count\" CHECK (\"count\" >= 0), CONSTRAINT \"PK_aafefb6842b0240006d84d45486\" PRIMARY KEY (\"user_id\", \"day\"))",
    );
    await queryRunner.query(
      "ALTER TABLE \"companion_conversations\" ADD CONSTRAINT \"FK_0e4737fcb61cf770e536d088161\" FOREIGN KEY (\"user_id\") REFERENCES \"users\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION",
    );
    await queryRunner.query(
      "ALTER TABLE \"companion_messages\" ADD CONSTRAINT \"FK_3398787df457eee91f5d0487ea7\" FOREIGN KEY (\"conversation_id\") REFERENCES \"companion_conversations\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION",
    );
    await queryRunner.query(
      "ALTER TABLE \"companion_usage\" ADD CONSTRAINT \"FK_d596251c640d2e029a92f62d37f\" FOREIGN KEY (\"user_id\") REFERENCES \"users\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"companion_usage\" DROP CONSTRAINT \"FK_d596251c640d2e029a92f62d37f\"");
    await queryRunner.query("ALTER TABLE \"companion_messages\" DROP CONSTRAINT \"FK_3398787df457eee91f5d0487ea7\"");
    await queryRunner.query("ALTER TABLE \"companion_conversations\" DROP CONSTRAINT \"FK_0e4737fcb61cf770e536d088161\"");
    await queryRunner.query("DROP TABLE \"companion_usage\"");
    await queryRunner.query("DROP TABLE \"companion_messages\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_companion_conversations_user_updated\"");
    await queryRunner.query("DROP TABLE \"companion_conversations\"");
  }
}
