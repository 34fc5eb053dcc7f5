import { safeErrorMessage } from 'src/infrastructure/logging/safe-error';
import { Logger } from '@nestjs/common';
import { Job, JobSchedulerTemplateOptions, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { FinalFailure, JobDriver, JobProcessor } from './job-driver';
import { EnqueueOptions, JOB_QUEUE, JobName, JobPayloads, QueueCounts, QueueHealth, QueueName, RetryPolicy } from './jobs';

/**
 * How each queue's worker runs. Alarm jobs mostly wait on the mail server, so more run at
 * once; and a worker that dies mid-job gives its alarm jobs back within seconds (a short
 * lock, renewed while the job runs, checked often) instead of BullMQ's default half minute.
 */
const WORKER_OPTIONS = new Map<QueueName, { concurrency: number; lockDuration?: number; stalledInterval?: number }>([
  [QueueName.Email, { concurrency: 5 }],
  [QueueName.Alarms, { concurrency: 20, lockDuration: 10_000, stalledInterval: 5_000 }],
  [QueueName.Matching, { concurrency: 5 }],
  [QueueName.Reminders, { concurrency: 10 }],
  [QueueName.Maintenance, { concurrency: 5 }],
]);

/** What a BullMQ job carries: the idempotency key (for failure records) and the payload. */
interface BullJobData {
  key: string;
  payload: object;
}

/** BullMQ on Redis: jobs survive restarts and are shared by every API node and worker. */
export class BullMqDriver implements JobDriver {
  readonly kind = 'bullmq' as const;
  private readonly logger = new Logger('Jobs');
  private readonly connection: Redis;
  private readonly queues = new Map<QueueName, Queue>();
  private readonly workers: Worker[] = [];
  private readonly workerConnections: Redis[] = [];

  constructor(
    private readonly url: string,
    private readonly prefix: string,
    private readonly retry: RetryPolicy,
    /** How long BullMQ keeps finished jobs (RETENTION_JOB_RECORDS_DAYS, in seconds); null: failed ones for ever. */
    private readonly keepFinishedSeconds: number | null,
  ) {
    // BullMQ requires maxRetriesPerRequest: null on connections used by workers.
    this.connection = new Redis(url, { maxRetriesPerRequest: null });
    this.connection.on('error', (error: Error) => this.logger.warn(`redis error: ${error.message}`));
    for (const name of Object.values(QueueName)) {
      this.queues.set(name, new Queue(name, { connection: this.connection, prefix: `${prefix}:bull` }));
    }
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options: EnqueueOptions): Promise<void> {
    const data: BullJobData = { key: options.key, payload };
    await this.queues.get(JOB_QUEUE[name])!.add(name, data, {
      // BullMQ ignores a job whose id already exists: that is the idempotency key.
      jobId: `${name}.${options.key}`.replace(/:/g, '_'),
      delay: options.delayMs,
      ...this.jobOptions(),
    });
  }

  /**
   * Retries, and how long finished jobs stay in Redis: the job-records period (completed
   * ones also capped at 10,000 a queue); the retention job cleans what is older too.
   */
  private jobOptions(): JobSchedulerTemplateOptions {
    const age = this.keepFinishedSeconds ?? undefined;
    return {
      attempts: this.retry.attempts,
      backoff: { type: 'exponential', delay: this.retry.backoffMs },
      removeOnComplete: { age, count: 10_000 },
      removeOnFail: age === undefined ? false : { age },
    };
  }

  async schedule<N extends JobName>(name: N, payload: JobPayloads[N], everyMs: number): Promise<void> {
    const data: BullJobData = { key: 'scheduled', payload };
    // One scheduler per job name in Redis: every process upserts the same one, so it runs once per interval.
    await this.queues.get(JOB_QUEUE[name])!.upsertJobScheduler(name, { every: everyMs }, { name, data, opts: this.jobOptions() });
  }

  async deleteFinishedBefore(cutoff: Date, limit: number): Promise<number> {
    const grace = Math.max(0, Date.now() - cutoff.getTime());
    let deleted = 0;
    for (const queue of this.queues.values()) {
      for (const type of ['completed', 'failed'] as const) {
        if (deleted >= limit) return deleted;
        deleted += (await queue.clean(grace, limit - deleted, type)).length;
      }
    }
    return deleted;
  }

  async startProcessing(processor: JobProcessor, onFinalFailure: (failure: FinalFailure) => Promise<void>): Promise<void> {
    for (const queue of Object.values(QueueName)) {
      const connection = new Redis(this.url, { maxRetriesPerRequest: null });
      this.workerConnections.push(connection);
      const worker = new Worker(
        queue,
        async (job: Job<BullJobData>) => processor(job.name as JobName, job.data.payload as never, job.attemptsMade + 1),
        { connection, prefix: `${this.prefix}:bull`, ...WORKER_OPTIONS.get(queue) },
      );
      worker.on('failed', (job, error) => {
        if (!job) return;
        const final = job.attemptsMade >= (job.opts.attempts ?? 1);
        this.logger.warn(`job ${job.name} ${job.id} attempt ${job.attemptsMade} failed${final ? ' for good' : ''}: ${safeErrorMessage(error)}`);
        if (!final) return;
        onFinalFailure({
          queue,
          name: job.name,
          key: (job.data).key,
          payload: (job.data).payload,
          attempts: job.attemptsMade,
          error: safeErrorMessage(error),
        }).catch((e: Error) => this.logger.error(`could not record job failure: ${safeErrorMessage(e)}`));
      });
      worker.on('error', (error) => this.logger.warn(`worker error: ${error.message}`));
      await worker.waitUntilReady();
      this.workers.push(worker);
    }
  }

  async health(): Promise<QueueHealth> {
    try {
      let waiting = 0;
      let failed = 0;
      for (const queue of this.queues.values()) {
        const counts = await queue.getJobCounts('waiting', 'delayed', 'failed');
        waiting += (counts.waiting ?? 0) + (counts.delayed ?? 0);
        failed += counts.failed ?? 0;
      }
      return { driver: this.kind, status: 'healthy', waiting, failed };
    } catch {
      return { driver: this.kind, status: 'unhealthy' };
    }
  }

  /** One getJobCounts per queue (a few Redis calls each: the states' list and set lengths), in parallel. */
  async counts(): Promise<QueueCounts[]> {
    return Promise.all(
      Object.values(QueueName).map(async (queue) => {
        const counts = await this.queues.get(queue)!.getJobCounts('waiting', 'prioritized', 'waiting-children', 'active', 'delayed', 'completed', 'failed');
        return {
          queue,
          waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts['waiting-children'] ?? 0),
          active: counts.active ?? 0,
          delayed: counts.delayed ?? 0,
          completed: counts.completed ?? 0,
          failed: counts.failed ?? 0,
        };
      }),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    await Promise.all([this.connection, ...this.workerConnections].map((c) => c.quit().catch(() => undefined)));
  }
}
