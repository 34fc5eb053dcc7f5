import type { User } from 'src/modules/users/user.entity';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, UpdateDateColumn } from 'typeorm';
import { GOAL_DESCRIPTION_MAX_LENGTH, GOAL_TITLE_MAX_LENGTH, GoalStatus } from '../goals.types';

/**
 * A goal a user sets (SafeTalk "Set Goal"). `progress_count` and `last_progress_at` move in
 * the same statement that adds a progress entry, so the goal list needs no aggregate.
 */
@Entity('goals')
@Index('ix_goals_user_created', ['userId', 'createdAt'])
@Check('ck_goals_status', `"status" IN ('active', 'completed')`)
@Check('ck_goals_completed_at', `("status" = 'completed') = ("completed_at" IS NOT NULL)`)
@Check('ck_goals_progress_count', `"progress_count" >= 0`)
export class Goal {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  // By name: User is the users module's entity (a type import here); the relation gives the foreign key.
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ type: 'varchar', length: GOAL_TITLE_MAX_LENGTH })
  title!: string;

  @Column({ type: 'varchar', length: GOAL_DESCRIPTION_MAX_LENGTH, nullable: true })
  description!: string | null;

  /** A calendar day (`YYYY-MM-DD`), no time zone. */
  @Column({ type: 'date', nullable: true })
  targetDate!: string | null;

  @Column({ type: 'varchar', length: 16, default: GoalStatus.Active })
  status!: GoalStatus;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  @Column({ type: 'int', default: 0 })
  progressCount!: number;

  @Column({ type: 'timestamptz', nullable: true })
  lastProgressAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
