import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Goal } from './goal.entity';

/** A progress entry on a goal. The content is encrypted at rest, bound to the entry's id. */
@Entity('goal_progress')
@Index('ix_goal_progress_goal_created', ['goalId', 'createdAt'])
@Check('ck_goal_progress_mood_rating', `"mood_rating" BETWEEN 1 AND 10`)
export class GoalProgress {
  /** Chosen before the insert: the ciphertext is bound to it. */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  goalId!: string;

  @ManyToOne(() => Goal, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'goal_id' })
  goal?: Goal;

  /** Encrypted (FieldEncryptionService, context `goal-progress:<id>`). */
  @Column({ type: 'text' })
  content!: string;

  @Column({ type: 'smallint', nullable: true })
  moodRating!: number | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
