import type { User } from 'src/modules/users/user.entity';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation, UpdateDateColumn } from 'typeorm';

/**
 * A conversation with the companion. The title and the rolling summary of turns older
 * than the memory window are encrypted at rest, bound to the conversation id.
 * `messageCount` hands out message positions (one atomic increment per message).
 */
@Entity('companion_conversations')
@Index('ix_companion_conversations_user_updated', ['userId', 'updatedAt', 'id'])
@Check('ck_companion_conversations_counts', `"message_count" >= 0 AND "summarized_through" >= 0`)
export class CompanionConversation {
  /** Chosen by the service before the insert: the title's ciphertext is bound to it. */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  // By name: User is the users module's entity (a type import here); the relation gives the foreign key.
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  /** Encrypted; null when none was given. */
  @Column({ type: 'text', nullable: true })
  title!: string | null;

  /** Encrypted rolling summary of the messages up to `summarizedThrough`; null until the window first overflows. */
  @Column({ type: 'text', nullable: true })
  summary!: string | null;

  /** The position of the last message folded into `summary` (0: none). */
  @Column({ type: 'int', default: 0 })
  summarizedThrough!: number;

  /** Messages stored so far; the next message's position is this plus one. */
  @Column({ type: 'int', default: 0 })
  messageCount!: number;

  @Column({ type: 'timestamptz', nullable: true })
  lastMessageAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
