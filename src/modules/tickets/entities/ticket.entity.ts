import type { Conversation } from 'src/modules/chat/entities/conversation.entity';
import type { User } from 'src/modules/users/user.entity';
import { Check, Column, CreateDateColumn, Entity, Generated, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation, UpdateDateColumn } from 'typeorm';
import type { TicketCategory, TicketStatus } from '../tickets.types';

/**
 * A support ticket a user opened. Subject and body are encrypted at rest (bound to the
 * ticket id); `number` is the short reference people quote (#42). Status timestamps:
 * `first_response_at` is the first staff reply, `resolved_at` is set on resolve and
 * cleared on reopen, `closed_at` likewise for close.
 */
@Entity('tickets')
@Index('uq_tickets_number', ['number'], { unique: true })
@Index('ix_tickets_requester', ['requesterId', 'createdAt'])
@Index('ix_tickets_dashboard', ['status', 'priorityRank', 'createdAt'])
@Index('ix_tickets_assignee', ['assigneeId', 'status'])
@Check('ck_tickets_status', `"status" IN ('open', 'pending_on_user', 'resolved', 'closed')`)
@Check('ck_tickets_priority_rank', `"priority_rank" BETWEEN 1 AND 4`)
@Check('ck_tickets_category', `"category" IN ('account', 'technical', 'billing', 'sessions', 'safety', 'feedback', 'other')`)
export class Ticket {
  /** Chosen by the service before the insert: the encrypted fields are bound to it. */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'int' })
  @Generated('increment')
  number!: number;

  @Column({ type: 'uuid' })
  requesterId!: string;

  // By name: User is the users module's entity (a type import here); the relation gives the foreign key.
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'requester_id' })
  requester?: Relation<User>;

  /** The requester's support conversation (chat module), where attachments are uploaded. */
  @Column({ type: 'uuid', nullable: true })
  supportChatId!: string | null;

  @ManyToOne('Conversation', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'support_chat_id' })
  supportChat?: Relation<Conversation>;

  /** The support-chat message the ticket was opened from, when it was. */
  @Column({ type: 'uuid', nullable: true })
  supportChatMessageId!: string | null;

  @Column({ type: 'text' })
  subjectEncrypted!: string;

  @Column({ type: 'text' })
  bodyEncrypted!: string;

  @Column({ type: 'varchar', length: 16 })
  category!: TicketCategory;

  /** 1 low … 4 urgent (TICKET_PRIORITIES). */
  @Column({ type: 'smallint' })
  priorityRank!: number;

  @Column({ type: 'varchar', length: 16, default: 'open' })
  status!: TicketStatus;

  @Column({ type: 'uuid', nullable: true })
  assigneeId!: string | null;

  @ManyToOne('User', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'assignee_id' })
  assignee?: Relation<User>;

  @Column({ type: 'timestamptz', nullable: true })
  firstResponseAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  /** Any reply, note or change. */
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
