import type { User } from 'src/modules/users/user.entity';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';

import { NotificationType } from './notifications.types';

export { NotificationType };

/**
 * A stored notification (SafeTalk polling, pushed live over Socket.IO). Texts say who and
 * where, never what: no message body ever lands here. Unread message notifications
 * collapse to one per conversation (the partial unique index), counting new messages.
 */
@Entity('notifications')
@Index('ix_notifications_user_created', ['userId', 'createdAt'])
// Retention deletes the oldest first, a batch at a time.
@Index('ix_notifications_created_at', ['createdAt'])
@Index('uq_notifications_unread_message', ['userId', 'relatedId'], { unique: true, where: `notification_type = 'message' AND read = false` })
export class Notification {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  // By name: User is the users module's entity (a type import here); the relation gives the foreign key.
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ type: 'varchar', length: 500 })
  message!: string;

  @Column({ type: 'varchar', length: 32 })
  notificationType!: NotificationType;

  /** What it is about (a conversation, a message, …). */
  @Column({ type: 'uuid', nullable: true })
  relatedId!: string | null;

  @Column({ type: 'int', default: 1 })
  count!: number;

  @Column({ type: 'boolean', default: false })
  read!: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  readAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
