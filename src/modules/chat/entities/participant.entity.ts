import type { User } from 'src/modules/users/user.entity';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { bigintAsNumber } from 'src/infrastructure/database/column-transformers';
import { ParticipantRole } from '../chat.types';
import { Conversation } from './conversation.entity';

// Defined in chat.types (public); still importable from here inside the chat module.
export { ParticipantRole } from '../chat.types';

/**
 * A user's membership of a conversation with their own state: notification setting,
 * and read/delivered watermarks (message sequence numbers) from which unread counts and
 * receipts are derived, so they can never drift from the messages themselves.
 */
@Entity('conversation_participants')
@Index('ix_participants_user', ['userId', 'leftAt'])
@Check('ck_participants_role', `"role" IN ('patient', 'provider', 'member', 'moderator')`)
@Check('ck_participants_watermarks', `"last_read_seq" >= 0 AND "last_delivered_seq" >= "last_read_seq"`)
export class ConversationParticipant {
  @PrimaryColumn({ type: 'uuid' })
  conversationId!: string;

  @PrimaryColumn({ type: 'uuid' })
  userId!: string;

  @ManyToOne(() => Conversation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'conversation_id' })
  conversation?: Conversation;

  // By name: User is the users module's entity (a type import here); the relation gives the foreign key.
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ type: 'varchar', length: 16 })
  role!: ParticipantRole;

  @Column({ type: 'boolean', default: true })
  notificationsEnabled!: boolean;

  @Column({ type: 'bigint', default: 0, transformer: bigintAsNumber })
  lastReadSeq!: number;

  @Column({ type: 'timestamptz', nullable: true })
  lastReadAt!: Date | null;

  @Column({ type: 'bigint', default: 0, transformer: bigintAsNumber })
  lastDeliveredSeq!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  joinedAt!: Date;

  /** Set when the member left a group (kept so their messages keep a known sender). */
  @Column({ type: 'timestamptz', nullable: true })
  leftAt!: Date | null;
}
