import { EnqueueOptions, JobName, JobPayloads, QueueCounts, QueueHealth } from './jobs';

export type JobProcessor = <N extends JobName>(name: N, payload: JobPayloads[N], attempt: number) => Promise<void>;

/** A failure of the job's last attempt, to be recorded where admins can see it. */
export interface FinalFailure {
  queue: string;
  name: string;
  key: string;
  payload: object;
  attempts: number;
  error: string;
}

/** Where jobs wait and who runs them: BullMQ on Redis, or the database in process. */
export interface JobDriver {
  readonly kind: QueueHealth['driver'];
  enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options: EnqueueOptions): Promise<void>;
  /** Starts running jobs with the given processor (only in processes that run jobs). */
  startProcessing(processor: JobProcessor, onFinalFailure: (failure: FinalFailure) => Promise<void>): Promise<void>;
  /**
   * Runs a job every `everyMs`, once per interval however many processes ask (BullMQ: a job
   * scheduler in Redis; in process: one keyed job per interval slot). Idempotent.
   */
  schedule<N extends JobName>(name: N, payload: JobPayloads[N], everyMs: number): Promise<void>;
  /** Deletes up to `limit` finished (done or failed) jobs that finished before `cutoff`; returns how many. */
  deleteFinishedBefore(cutoff: Date, limit: number): Promise<number>;
  health(): Promise<QueueHealth>;
  /** Every queue's jobs by state, one entry per queue in QueueName order. */
  counts(): Promise<QueueCounts[]>;
  close(): Promise<void>;
}
