import type { User } from 'src/modules/users/user.entity';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { bigintAsNumber } from 'src/infrastructure/database/column-transformers';
import { Attachment } from './attachment.entity';
import { Conversation } from './conversation.entity';

export enum MessageType {
  Text = 'text',
  Image = 'image',
  File = 'file',
  System = 'system',
  Appointment = 'appointment',
  Prescription = 'prescription',
}

/**
 * A message. The body is encrypted at rest (AES-256-GCM, bound to the message id);
 * `seq` orders it within its conversation. Soft-deleted messages keep their row, not
 * their body.
 */
@Entity('messages')
@Index('uq_messages_conversation_seq', ['conversationId', 'seq'], { unique: true })
@Index('ix_messages_sender', ['senderId'])
// Partial: most messages reply to nothing, and a send should not pay for an index entry of NULL.
@Index('ix_messages_reply_to', ['replyToId'], { where: 'reply_to_id IS NOT NULL' })
@Index('uq_messages_sender_client_id', ['senderId', 'clientMessageId'], { unique: true, where: 'client_message_id IS NOT NULL' })
@Check('ck_messages_type', `"type" IN ('text', 'image', 'file', 'system', 'appointment', 'prescription')`)
@Check('ck_messages_seq', `"seq" > 0`)
export class Message {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  conversationId!: string;

  @ManyToOne(() => Conversation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'conversation_id' })
  conversation?: Conversation;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  seq!: number;

  /** Null for system messages. */
  @Column({ type: 'uuid', nullable: true })
  senderId!: string | null;

  // By name: User is the users module's entity (a type import here); the relation gives the foreign key.
  @ManyToOne('User', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'sender_id' })
  sender?: Relation<User>;

  @Column({ type: 'varchar', length: 16, default: MessageType.Text })
  type!: MessageType;

  /** Encrypted body; null once deleted. */
  @Column({ type: 'text', nullable: true })
  body!: string | null;

  @Column({ type: 'uuid', nullable: true })
  replyToId!: string | null;

  @ManyToOne(() => Message, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'reply_to_id' })
  replyTo?: Message;

  @Column({ type: 'uuid', nullable: true })
  attachmentId!: string | null;

  @ManyToOne(() => Attachment, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'attachment_id' })
  attachment?: Attachment;

  /** The sender's own id for this send: a retried send returns the stored message. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  clientMessageId!: string | null;

  @Column({ type: 'boolean', default: false })
  emergency!: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  emergencyAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  emergencyById!: string | null;

  @Column({ type: 'boolean', default: false })
  edited!: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  editedAt!: Date | null;

  @Column({ type: 'boolean', default: false })
  deleted!: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  deletedById!: string | null;

  /** First time a recipient's device received it / a recipient read it (direct chats: the recipient). */
  @Column({ type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  readAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  readById!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** A previous version of an edited message, encrypted like the message. */
@Entity('message_edits')
@Index('ix_message_edits_message', ['messageId', 'editedAt'])
export class MessageEdit {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  messageId!: string;

  @ManyToOne(() => Message, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'message_id' })
  message?: Message;

  @Column({ type: 'text' })
  previousBody!: string;

  @Column({ type: 'uuid' })
  editedById!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  editedAt!: Date;
}

/** One emoji of one user on one message (the primary key makes it one of each). */
@Entity('message_reactions')
export class MessageReaction {
  @Column({ type: 'uuid', primary: true })
  messageId!: string;

  @ManyToOne(() => Message, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'message_id' })
  message?: Message;

  @Column({ type: 'uuid', primary: true })
  userId!: string;

  // By name: User is the users module's entity (a type import here); the relation gives the foreign key.
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ type: 'varchar', length: 32, primary: true })
  emoji!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
