import { MigrationInterface, QueryRunner } from 'typeorm';

export class Conversations1795287323170 implements MigrationInterface {
  name = 'Conversations1795287323170';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"notifications\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"user_id\" uuid NOT NULL, \"title\" character varying(200) NOT NULL, \"message\" character varying(500) NOT NULL, \"notification_type\" character varying(32) NOT NULL, \"related_id\" uuid, \"count\" integer NOT NULL DEFAULT '1', \"read\" boolean NOT NULL DEFAULT false, \"read_at\" TIMESTAMP WITH TIME ZONE, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_6a72c3c0f683f6462415e653c3a\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_notifications_unread_message\" ON \"notifications\"  (\"user_id\", \"related_id\") WHERE notification_type = 'message' AND read = false");
    await queryRunner.query("CREATE INDEX \"ix_notifications_user_created\" ON \"notifications\"  (\"user_id\", \"created_at\") ");
    await queryRunner.query("CREATE TABLE \"conversations\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"kind\" character varying(16) NOT NULL, \"status\" character varying(16) NOT NULL DEFAULT 'active', \"pair_key\" character varying(80), \"support_user_id\" uuid, \"name\" character varying(120), \"description\" character varying(2000), \"category\" character varying(60), \"blocked_by_id\" uuid, \"created_by_id\" uuid, \"last_seq\" bigint NOT NULL DEFAULT '0', \"last_message_id\" uuid, \"last_message_at\" TIMESTAMP WITH TIME ZONE, \"last_message_sender_id\" uuid, \"last_message_preview\" text, \"member_count\" integer NOT NULL DEFAULT '0', \"activity_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_conversations_support_user\" CHECK ((\"kind\" = 'support') = (\"support_user_id\" IS NOT NULL)), CONSTRAINT \"ck_conversations_direct_pair\" CHECK ((\"kind\" = 'direct') = (\"pair_key\" IS NOT NULL)), CONSTRAINT \"ck_conversations_status\" CHECK (\"status\" IN ('active', 'archived', 'blocked', 'deleted')), CONSTRAINT \"ck_conversations_kind\" CHECK (\"kind\" IN ('direct', 'group', 'support')), CONSTRAINT \"PK_ee34f4f7ced4ec8681f26bf04ef\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_conversations_support_user\" ON \"conversations\"  (\"support_user_id\") WHERE kind = 'support'");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_conversations_direct_pair\" ON \"conversations\"  (\"pair_key\") WHERE kind = 'direct'");
    await queryRunner.query("CREATE TABLE \"attachments\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"conversation_id\" uuid NOT NULL, \"uploader_id\" uuid NOT NULL, \"storage_key\" character varying(200) NOT NULL, \"original_name\" character varying(255) NOT NULL, \"mime_type\" character varying(100) NOT NULL, \"size\" integer NOT NULL, \"sha256\" character varying(64) NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_5e1f050bcff31e3084a1d662412\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_attachments_conversation\" ON \"attachments\"  (\"conversation_id\") ");
    await queryRunner.query("CREATE TABLE \"messages\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"conversation_id\" uuid NOT NULL, \"seq\" bigint NOT NULL, \"sender_id\" uuid, \"type\" character varying(16) NOT NULL DEFAULT 'text', \"body\" text, \"reply_to_id\" uuid, \"attachment_id\" uuid, \"client_message_id\" character varying(64), \"emergency\" boolean NOT NULL DEFAULT false, \"emergency_at\" TIMESTAMP WITH TIME ZONE, \"emergency_by_id\" uuid, \"edited\" boolean NOT NULL DEFAULT false, \"edited_at\" TIMESTAMP WITH TIME ZONE, \"deleted\" boolean NOT NULL DEFAULT false, \"deleted_at\" TIMESTAMP WITH TIME ZONE, \"deleted_by_id\" uuid, \"delivered_at\" TIMESTAMP WITH TIME ZONE, \"read_at\" TIMESTAMP WITH TIME ZONE, \"read_by_id\" uuid, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_messages_seq\" CHECK (\"seq\" > 0), CONSTRAINT \"ck_messages_type\" CHECK (\"type\" IN ('text', 'image', 'file', 'system', 'appointment', 'prescription')), CONSTRAINT \"PK_18325f38ae6de43878487eff986\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_messages_sender_client_id\" ON \"messages\"  (\"sender_id\", \"client_message_id\") WHERE client_message_id IS NOT NULL");
    await queryRunner.query("CREATE INDEX \"ix_messages_reply_to\" ON \"messages\"  (\"reply_to_id\") ");
    await queryRunner.query("CREATE INDEX \"ix_messages_sender\" ON \"messages\"  (\"sender_id\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_messages_conversation_seq\" ON \"messages\"  (\"conversation_id\", \"seq\") ");
    await queryRunner.query("CREATE TABLE \"message_edits\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"message_id\" uuid NOT NULL, \"previous_body\" text NOT NULL, \"edited_by_id\" uuid NOT NULL, \"edited_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_38e8913cdc69c8908540910301c\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_message_edits_message\" ON \"message_edits\"  (\"message_id\", \"edited_at\") ");
    await queryRunner.query("CREATE TABLE \"message_reactions\" (\"message_id\" uuid NOT NULL, \"user_id\" uuid NOT NULL, \"emoji\" character varying(32) NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_f5a1f46b4f33ce416f9c192ab29\" PRIMARY KEY (\"message_id\", \"user_id\", \"emoji\"))");
    await queryRunner.query("CREATE TABLE \"chat_rooms\" (\"conversation_id\" uuid NOT NULL, \"room_type\" character varying(16) NOT NULL DEFAULT 'therapy', \"therapist_can_send\" boolean NOT NULL DEFAULT true, \"patient_can_send\" boolean NOT NULL DEFAULT true, \"therapist_can_see_history\" boolean NOT NULL DEFAULT true, \"patient_can_see_history\" boolean NOT NULL DEFAULT true, \"description\" character varying(2000) NOT NULL DEFAULT '', \"tags\" jsonb NOT NULL DEFAULT '[]', \"is_active\" boolean NOT NULL DEFAULT true, \"is_archived\" boolean NOT NULL DEFAULT false, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_chat_rooms_type\" CHECK (\"room_type\" IN ('therapy', 'consultation', 'emergency', 'general')), CONSTRAINT \"PK_3640e360969ba27b76769cce1a3\" PRIMARY KEY (\"conversation_id\"))");
    await queryRunner.query("CREATE TABLE \"conversation_participants\" (\"conversation_id\" uuid NOT NULL, \"user_id\" uuid NOT NULL, \"role\" character varying(16) NOT NULL, \"notifications_enabled\" boolean NOT NULL DEFAULT true, \"last_read_seq\" bigint NOT NULL DEFAULT '0', \"last_read_at\" TIMESTAMP WITH TIME ZONE, \"last_delivered_seq\" bigint NOT NULL DEFAULT '0', \"joined_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"left_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"ck_participants_watermarks\" CHECK (\"last_read_seq\" >= 0 AND \"last_delivered_seq\" >= \"last_read_seq\"), CONSTRAINT \"ck_participants_role\" CHECK (\"role\" IN ('patient', 'provider', 'member', 'moderator')), CONSTRAINT \"PK_fdcd6405d74e797f10fa8360338\" PRIMARY KEY (\"conversation_id\", \"user_id\"))");
    await queryRunner.query("CREATE INDEX \"ix_participants_user\" ON \"conversation_participants\"  (\"user_id\", \"left_at\") ");
    await queryRunner.query("ALTER TABLE \"notifications\" ADD CONSTRAINT \"FK_9a8a82462cab47c73d25f49261f\" FOREIGN KEY (\"user_id\") REFERENCES \"users\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"attachments\" ADD CONSTRAINT \"FK_8c47112d73053bbb0ab481b420f\" FOREIGN KEY (\"conversation_id\") REFERENCES \"conversations\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"messages\" ADD CONSTRAINT \"FK_3bc55a7c3f9ed54b520bb5cfe23\" FOREIGN KEY (\"conversation_id\") REFERENCES \"conversations\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"messages\" ADD CONSTRAINT \"FK_22133395bd13b970ccd0c34ab22\" FOREIGN KEY (\"sender_id\") REFERENCES \"users\"(\"id\") ON DELETE SET NULL ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"messages\" ADD CONSTRAINT \"FK_54e66104dd534ed1c191e44096f\" FOREIGN KEY (\"reply_to_id\") REFERENCES \"messages\"(\"id\") ON DELETE SET NULL ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"messages\" ADD CONSTRAINT \"FK_d2e0ab24e536e1933067c8f37e6\" FOREIGN KEY (\"attachment_id\") REFERENCES \"attachments\"(\"id\") ON DELETE SET NULL ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"message_edits\" ADD CONSTRAINT \"FK_e55266a1aace3c913e81bd129c5\" FOREIGN KEY (\"message_id\") REFERENCES \"messages\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"message_reactions\" ADD CONSTRAINT \"FK_ce61e365d81a9dfc15cd36513b0\" FOREIGN KEY (\"message_id\") REFERENCES \"messages\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"message_reactions\" ADD CONSTRAINT \"FK_b6d3eda2f99b64016d6a4cf112f\" FOREIGN KEY (\"user_id\") REFERENCES \"users\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"chat_rooms\" ADD CONSTRAINT \"FK_3640e360969ba27b76769cce1a3\" FOREIGN KEY (\"conversation_id\") REFERENCES \"conversations\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"conversation_participants\" ADD CONSTRAINT \"FK_1559e8a16b828f2e836a2312800\" FOREIGN KEY (\"conversation_id\") REFERENCES \"conversations\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"conversation_participants\" ADD CONSTRAINT \"FK_377d4041a495b81ee1a85ae026f\" FOREIGN KEY (\"user_id\") REFERENCES \"users\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    // Every send rewrites its conversation row and the sender's participant row. No index
    // covers the columns that change, and free room on each page lets PostgreSQL update
    // in place (HOT) instead of growing every index on every message.
    await queryRunner.query('ALTER TABLE "conversations" SET (fillfactor = 70)');
    await queryRunner.query('ALTER TABLE "conversation_participants" SET (fillfactor = 70)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"conversation_participants\" DROP CONSTRAINT \"FK_377d4041a495b81ee1a85ae026f\"");
    await queryRunner.query("ALTER TABLE \"conversation_participants\" DROP CONSTRAINT \"FK_1559e8a16b828f2e836a2312800\"");
    await queryRunner.query("ALTER TABLE \"chat_rooms\" DROP CONSTRAINT \"FK_3640e360969ba27b76769cce1a3\"");
    await queryRunner.query("ALTER TABLE \"message_reactions\" DROP CONSTRAINT \"FK_b6d3eda2f99b64016d6a4cf112f\"");
    await queryRunner.query("ALTER TABLE \"message_reactions\" DROP CONSTRAINT \"FK_ce61e365d81a9dfc15cd36513b0\"");
    await queryRunner.query("ALTER TABLE \"message_edits\" DROP CONSTRAINT \"FK_e55266a1aace3c913e81bd129c5\"");
    await queryRunner.query("ALTER TABLE \"messages\" DROP CONSTRAINT \"FK_d2e0ab24e536e1933067c8f37e6\"");
    await queryRunner.query("ALTER TABLE \"messages\" DROP CONSTRAINT \"FK_54e66104dd534ed1c191e44096f\"");
    await queryRunner.query("ALTER TABLE \"messages\" DROP CONSTRAINT \"FK_22133395bd13b970ccd0c34ab22\"");
    await queryRunner.query("ALTER TABLE \"messages\" DROP CONSTRAINT \"FK_3bc55a7c3f9ed54b520bb5cfe23\"");
    await queryRunner.query("ALTER TABLE \"attachments\" DROP CONSTRAINT \"FK_8c47112d73053bbb0ab481b420f\"");
    await queryRunner.query("ALTER TABLE \"notifications\" DROP CONSTRAINT \"FK_9a8a82462cab47c73d25f49261f\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_participants_user\"");
    await queryRunner.query("DROP TABLE \"conversation_participants\"");
    await queryRunner.query("DROP TABLE \"chat_rooms\"");
    await queryRunner.query("DROP TABLE \"message_reactions\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_message_edits_message\"");
    await queryRunner.query("DROP TABLE \"message_edits\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_messages_conversation_seq\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_messages_sender\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_messages_reply_to\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_messages_sender_client_id\"");
    await queryRunner.query("DROP TABLE \"messages\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_attachments_conversation\"");
    await queryRunner.query("DROP TABLE \"attachments\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_conversations_direct_pair\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_conversations_support_user\"");
    await queryRunner.query("DROP TABLE \"conversations\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_notifications_user_created\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_notifications_unread_message\"");
    await queryRunner.query("DROP TABLE \"notifications\"");
  }
}
