import type { CareSession } from 'src/modules/sessions/entities/care-session.entity';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import type { FeedbackCategory } from '../feedback.types';

export const ONE_FEEDBACK_PER_SESSION = 'uq_session_feedback_session';

/**
 * A client's feedback on one completed session: at most one per session (the unique
 * constraint holds it under concurrent submits). The two people are copied from the
 * session so lists filter by them without another feature's table. The comment is
 * encrypted at rest.
 */
@Entity('session_feedback')
@Unique(ONE_FEEDBACK_PER_SESSION, ['sessionId'])
@Check('ck_session_feedback_rating', `"rating" BETWEEN 1 AND 5`)
@Index('ix_session_feedback_provider', ['providerId', 'createdAt'])
@Index('ix_session_feedback_client', ['clientId', 'createdAt'])
export class SessionFeedback {
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

  @Column({ type: 'smallint' })
  rating!: number;

  @Column({ type: 'text', nullable: true })
  commentEncrypted!: string | null;

  @Column({ type: 'varchar', length: 32, array: true })
  categories!: FeedbackCategory[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
