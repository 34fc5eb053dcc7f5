import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { bigintAsNumber } from 'src/infrastructure/database/column-transformers';
import { ConversationKind, ConversationStatus } from '../chat.types';

// Defined in chat.types (public); still importable from here inside the chat module.
export { ConversationKind, ConversationStatus } from '../chat.types';

/**
 * One conversation model for direct chats, support groups and support conversations.
 * `lastSeq` numbers the messages of this conversation: a send increments it under the
 * row lock, so sequence order is commit order and cursors and unread counts are exact.
 */
@Entity('conversations')
@Index('uq_conversations_direct_pair', ['pairKey'], { unique: true, where: `kind = 'direct'` })
@Index('uq_conversations_support_user', ['supportUserId'], { unique: true, where: `kind = 'support'` })
@Check('ck_conversations_kind', `"kind" IN ('direct', 'group', 'support')`)
@Check('ck_conversations_status', `"status" IN ('active', 'archived', 'blocked', 'deleted')`)
@Check('ck_conversations_direct_pair', `("kind" = 'direct') = ("pair_key" IS NOT NULL)`)
@Check('ck_conversations_support_user', `("kind" = 'support') = ("support_user_id" IS NOT NULL)`)
export class Conversation {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: ConversationKind;

  @Column({ type: 'varchar', length: 16, default: ConversationStatus.Active })
  status!: ConversationStatus;

  /** Direct chats: "<smaller user id>:<larger user id>", unique — one chat per pair. */
  @Column({ type: 'varchar', length: 80, nullable: true })
  pairKey!: string | null;

  /** Support conversations: the user the admin team talks to (one each). */
  @Column({ type: 'uuid', nullable: true })
  supportUserId!: string | null;

  /** Groups: name, description and category. */
  @Column({ type: 'varchar', length: 120, nullable: true })
  name!: string | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  description!: string | null;

  @Column({ type: 'varchar', length: 60, nullable: true })
  category!: string | null;

  /** Who blocked a direct chat (either side may). */
  @Column({ type: 'uuid', nullable: true })
  blockedById!: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdById!: string | null;

  @Column({ type: 'bigint', default: 0, transformer: bigintAsNumber })
  lastSeq!: number;

  @Column({ type: 'uuid', nullable: true })
  lastMessageId!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastMessageAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  lastMessageSenderId!: string | null;

  @Column({ type: 'int', default: 0 })
  memberCount!: number;

  /**
   * Last message time, or creation time before any message: what chat lists sort by.
   * Deliberately not indexed: sends rewrite it, and an index would stop in-place updates.
   */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  activityAt!: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
