import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { RetentionCounts, RetentionTrigger } from '../retention.types';

/** One run of the retention job: when, why, and how many rows of each kind it deleted (counts only). */
@Entity('retention_runs')
@Index('ix_retention_runs_finished_at', ['finishedAt'])
export class RetentionRun {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  trigger!: RetentionTrigger;

  @Column({ type: 'timestamptz' })
  startedAt!: Date;

  @Column({ type: 'timestamptz' })
  finishedAt!: Date;

  /** Rows deleted per kind; null for a kind kept for ever. */
  @Column({ type: 'jsonb' })
  deleted!: RetentionCounts;
}
