import { MigrationInterface, QueryRunner } from 'typeorm';

/** Support tickets: the ticket (subject and body encrypted), its public replies (with chat attachments) and internal staff notes. */
export class Tickets1795328000000 implements MigrationInterface {
  name = 'Tickets1795328000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"tickets\" (\"id\" uuid NOT NULL, \"number\" SERIAL NOT NULL, \"requester_id\" uuid NOT NULL, \"support_chat_id\" uuid, \"support_chat_message_id\" uuid, \"subject_encrypted\" text NOT NULL, \"body_encrypted\" text NOT NULL, \"category\" character varying(16) NOT NULL, \"priority_rank\" smallint NOT NULL, \"status\" character varying(16) NOT NULL DEFAULT 'open', \"assignee_id\" uuid, \"first_response_at\" TIMESTAMP WITH TIME ZONE, \"resolved_at\" TIMESTAMP WITH TIME ZONE, \"closed_at\" TIMESTAMP WITH TIME ZONE, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_tickets_category\" CHECK (\"category\" IN ('account', 'technical', 'billing', 'sessions', 'safety', 'feedback', 'other')), CONSTRAINT \"ck_tickets_priority_rank\" CHECK (\"priority_rank\" BETWEEN 1 AND 4), CONSTRAINT \"ck_tickets_status\" CHECK (\"status\" IN ('open', 'pending_on_user', 'resolved', 'closed')), CONSTRAINT \"PK_343bc942ae261cf7a1377f48fd0\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_tickets_assignee\" ON \"tickets\"  (\"assignee_id\", \"status\") ");
    await queryRunner.query("CREATE INDEX \"ix_tickets_dashboard\" ON \"tickets\"  (\"status\", \"priority_rank\", \"created_at\") ");
    await queryRunner.query("CREATE INDEX \"ix_tickets_requester\" ON \"tickets\"  (\"requester_id\", \"created_at\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_tickets_number\" ON \"tickets\"  (\"number\") ");
    await queryRunner.query("CREATE TABLE \"ticket_notes\" (\"id\" uuid NOT NULL, \"ticket_id\" uuid NOT NULL, \"author_id\" uuid, \"body_encrypted\" text, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_80de74737405f5d2b67682b2a16\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_ticket_notes_author\" ON \"ticket_notes\"  (\"author_id\") ");
    await queryRunner.query("CREATE INDEX \"ix_ticket_notes_ticket\" ON \"ticket_notes\"  (\"ticket_id\", \"created_at\") ");
    await queryRunner.query("CREATE TABLE \"ticket_replies\" (\"id\" uuid NOT NULL, \"ticket_id\" uuid NOT NULL, \"author_id\" uuid, \"from_staff\" boolean NOT NULL, \"body_encrypted\" text, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT \"PK_6ab133db0068322c649e89fc019\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_ticket_replies_author\" ON \"ticket_replies\"  (\"author_id\") ");
    await queryRunner.query("CREATE INDEX \"ix_ticket_replies_ticket\" ON \"ticket_replies\"  (\"ticket_id\", \"created_at\") ");
    await queryRunner.query("CREATE TABLE \"ticket_reply_attachments\" (\"reply_id\" uuid NOT NULL, \"attachment_id\" uuid NOT NULL, \"position\" smallint NOT NULL, CONSTRAINT \"PK_c13a72a83faa8c6f92124d3895a\" PRIMARY KEY (\"reply_id\", \"attachment_id\"))");
    await queryRunner.query("CREATE INDEX \"ix_ticket_reply_attachments_attachment\" ON \"ticket_reply_attachments\"  (\"attachment_id\") ");
    await queryRunner.query("ALTER TABLE \"tickets\" ADD CONSTRAINT \"FK_2a06f5cdaf003ceaa9fcf08be77\" FOREIGN KEY (\"requester_id\") REFERENCES \"users\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"tickets\" ADD CONSTRAINT \"FK_f3f29b61aa90adffbb5d02a0d3b\" FOREIGN KEY (\"support_chat_id\") REFERENCES \"conversations\"(\"id\") ON DELETE SET NULL ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"tickets\" ADD CONSTRAINT \"FK_dff6e2b44c9b5e177114588772f\" FOREIGN KEY (\"assignee_id\") REFERENCES \"users\"(\"id\") ON DELETE SET NULL ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"ticket_notes\" ADD CONSTRAINT \"FK_5a049bd4fed637df38e9edbf07b\" FOREIGN KEY (\"ticket_id\") REFERENCES \"tickets\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"ticket_notes\" ADD CONSTRAINT \"FK_28f0927eb54ad1aa616a736b9cc\" FOREIGN KEY (\"author_id\") REFERENCES \"users\"(\"id\") ON DELETE SET NULL ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"ticket_replies\" ADD CONSTRAINT \"FK_fe74de0bf05fc48dd25e7faf9e6\" FOREIGN KEY (\"ticket_id\") REFERENCES \"tickets\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"ticket_replies\" ADD CONSTRAINT \"FK_75f8946457d6b162f9c5e59fee2\" FOREIGN KEY (\"author_id\") REFERENCES \"users\"(\"id\") ON DELETE SET NULL ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"ticket_reply_attachments\" ADD CONSTRAINT \"FK_728b2de9adb288065a2d9216a43\" FOREIGN KEY (\"reply_id\") REFERENCES \"ticket_replies\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"ticket_reply_attachments\" ADD CONSTRAINT \"FK_8d1b3b20a088b47b3e391070846\" FOREIGN KEY (\"attachment_id\") REFERENCES \"attachments\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"ticket_reply_attachments\" DROP CONSTRAINT \"FK_8d1b3b20a088b47b3e391070846\"");
    await queryRunner.query("ALTER TABLE \"ticket_reply_attachments\" DROP CONSTRAINT \"FK_728b2de9adb288065a2d9216a43\"");
    await queryRunner.query("ALTER TABLE \"ticket_replies\" DROP CONSTRAINT \"FK_75f8946457d6b162f9c5e59fee2\"");
    await queryRunner.query("ALTER TABLE \"ticket_replies\" DROP CONSTRAINT \"FK_fe74de0bf05fc48dd25e7faf9e6\"");
    await queryRunner.query("ALTER TABLE \"ticket_notes\" DROP CONSTRAINT \"FK_28f0927eb54ad1aa616a736b9cc\"");
    await queryRunner.query("ALTER TABLE \"ticket_notes\" DROP CONSTRAINT \"FK_5a049bd4fed637df38e9edbf07b\"");
    await queryRunner.query("ALTER TABLE \"tickets\" DROP CONSTRAINT \"FK_dff6e2b44c9b5e177114588772f\"");
    await queryRunner.query("ALTER TABLE \"tickets\" DROP CONSTRAINT \"FK_f3f29b61aa90adffbb5d02a0d3b\"");
    await queryRunner.query("ALTER TABLE \"tickets\" DROP CONSTRAINT \"FK_2a06f5cdaf003ceaa9fcf08be77\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_ticket_reply_attachments_attachment\"");
    await queryRunner.query("DROP TABLE \"ticket_reply_attachments\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_ticket_replies_ticket\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_ticket_replies_author\"");
    await queryRunner.query("DROP TABLE \"ticket_replies\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_ticket_notes_ticket\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_ticket_notes_author\"");
    await queryRunner.query("DROP TABLE \"ticket_notes\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_tickets_number\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_tickets_requester\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_tickets_dashboard\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_tickets_assignee\"");
    await queryRunner.query("DROP TABLE \"tickets\"");
  }
}
