import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation, Unique } from 'typeorm';
import type { CompanionSender, ReplySource } from '../companion.types';
import { CompanionConversation } from './companion-conversation.entity';

/**
 * One message of a companion conversation, its text encrypted at rest (bound to the
 * message id). `position` orders the conversation (1, 2, …, unique per conversation).
 */
@Entity('companion_messages')
@Unique('uq_companion_messages_position', ['conversationId', 'position'])
@Check('ck_companion_messages_sender', `"sender" IN ('user', 'assistant', 'system')`)
@Check('ck_companion_messages_source', `"source" IN ('model', 'offline', 'offline_fallback')`)
export class CompanionMessage {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  conversationId!: string;

  @ManyToOne(() => CompanionConversation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'conversation_id' })
  conversation?: Relation<CompanionConversation>;

  @Column({ type: 'int' })
  position!: number;

  @Column({ type: 'varchar', length: 16 })
  sender!: CompanionSender;

  /** Encrypted. */
  @Column({ type: 'text' })
  text!: string;

  /** Replies only: what wrote it. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  source!: ReplySource | null;

  /** The crisis detector's verdict on the user's message (kept on its reply too). */
  @Column({ type: 'boolean', default: false })
  crisis!: boolean;

  /** The crisis detector's categories for the user's message (kept on its reply too). */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  keywords!: string[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
