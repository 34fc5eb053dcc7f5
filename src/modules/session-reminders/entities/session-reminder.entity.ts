import type { CareSession } from 'src/modules/sessions/entities/care-session.entity';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn, type Relation } from 'typeorm';
import { ReminderStatus } from '../session-reminders.types';

/**
 * One reminder of one session at one offset before its start. The row is the job's
 * idempotency key: the `session.remind` job sends only while the row is `scheduled` and due.
 * The two people and the start are copied from the session so the job needs nothing else.
 */
@Entity('session_reminders')
@Unique('uq_session_reminders_offset', ['sessionId', 'offsetMinutes'])
@Check('ck_session_reminders_status', `"status" IN ('scheduled', 'sent', 'cancelled', 'skipped')`)
@Check('ck_session_reminders_offset', `"offset_minutes" > 0`)
@Index('ix_session_reminders_due', ['dueAt'], { where: `status = 'scheduled'` })
export class SessionReminder {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  sessionId!: string;

  @ManyToOne('CareSession', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id' })
  session?: Relation<CareSession>;

  @Column({ type: 'uuid' })
  clientId!: string;

  @Column({ type: 'uuid' })
  providerId!: string;

  /** Minutes before the start. */
  @Column({ type: 'integer' })
  offsetMinutes!: number;

  /** The session's start this reminder was computed for. */
  @Column({ type: 'timestamptz' })
  sessionStartsAt!: Date;

  @Column({ type: 'timestamptz' })
  dueAt!: Date;

  @Column({ type: 'varchar', length: 16 })
  status!: ReminderStatus;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
