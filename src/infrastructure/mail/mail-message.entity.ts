import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** `failed`: its delivery job gave up after its last attempt (an alarm's own mail stays `queued`; its delivery row records the failure). */
export type MailStatus = 'queued' | 'sent' | 'outbox' | 'failed';

/**
 * Every message Haven sends. With SMTP it records delivery to the server; without
 * SMTP it *is* the outbox, where operators (and tests) read what would have been sent.
 */
@Entity('mail_messages')
@Index('uq_mail_messages_key', ['idempotencyKey'], { unique: true })
@Index('ix_mail_messages_created_at', ['createdAt'])
@Index('ix_mail_messages_user_ids', { synchronize: false })
export class MailMessage {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** The same key never sends twice (a retried alarm, a double click). */
  @Column({ type: 'varchar', length: 200 })
  idempotencyKey!: string;

  @Column({ type: 'varchar', length: 320 })
  toAddress!: string;

  /** The accounts this message is to or about: erasing one of them deletes the message. */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  userIds!: string[];

  @Column({ type: 'varchar', length: 300 })
  subject!: string;

  @Column({ type: 'text' })
  textBody!: string;

  @Column({ type: 'text', nullable: true })
  htmlBody!: string | null;

  @Column({ type: 'varchar', length: 16, default: 'queued' })
  status!: MailStatus;

  @Column({ type: 'varchar', length: 300, nullable: true })
  providerMessageId!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt!: Date | null;
}
