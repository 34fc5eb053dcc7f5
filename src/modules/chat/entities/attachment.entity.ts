import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Conversation } from './conversation.entity';

/**
 * An uploaded file, stored on disk under a random key, encrypted (AES-256-GCM, bound to
 * the key), and served only to the conversation's participants.
 */
@Entity('attachments')
@Index('ix_attachments_conversation', ['conversationId'])
export class Attachment {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  conversationId!: string;

  @ManyToOne(() => Conversation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'conversation_id' })
  conversation?: Conversation;

  @Column({ type: 'uuid' })
  uploaderId!: string;

  @Column({ type: 'varchar', length: 200 })
  storageKey!: string;

  @Column({ type: 'varchar', length: 255 })
  originalName!: string;

  /** Sniffed from the content, never taken from the client. */
  @Column({ type: 'varchar', length: 100 })
  mimeType!: string;

  @Column({ type: 'int' })
  size!: number;

  @Column({ type: 'varchar', length: 64 })
  sha256!: string;

  /** False only for files uploaded before attachments were encrypted at rest. */
  @Column({ type: 'boolean', default: false })
  encrypted!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
