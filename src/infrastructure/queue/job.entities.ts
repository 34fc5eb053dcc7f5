import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A job of the in-process driver: kept in the database so nothing is lost on restart. */
@Entity('background_jobs')
@Index('ix_background_jobs_due', ['runAt'], { where: `status = 'pending'` })
@Index('uq_background_jobs_name_key', ['name', 'key'], { unique: true })
// Retention deletes finished jobs by when they finished, a batch at a time.
@Index('ix_background_jobs_finished', ['finishedAt'], { where: `status IN ('done', 'failed')` })
export class BackgroundJob {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  queue!: string;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'varchar', length: 200 })
  key!: string;

  @Column({ type: 'jsonb' })
  payload!: object;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status!: 'pending' | 'running' | 'done' | 'failed';

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ type: 'timestamptz' })
  runAt!: Date;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}

/** A job that failed for good after all its retries, whichever driver ran it. Visible to admins. */
@Entity('job_failures')
@Index('ix_job_failures_failed_at', ['failedAt'])
export class JobFailure {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  driver!: string;

  @Column({ type: 'varchar', length: 64 })
  queue!: string;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'varchar', length: 200 })
  key!: string;

  @Column({ type: 'jsonb' })
  payload!: object;

  @Column({ type: 'int' })
  attempts!: number;

  @Column({ type: 'text' })
  error!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  failedAt!: Date;
}

/** One run of the `maintenance.probe` diagnostics job. */
@Entity('job_probe_runs')
@Index('ix_job_probe_runs_probe', ['probeId'])
export class JobProbeRun {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  probeId!: string;

  @Column({ type: 'int' })
  attempt!: number;

  @Column({ type: 'boolean' })
  succeeded!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  ranAt!: Date;
}
