import { safeErrorMessage } from 'src/infrastructure/logging/safe-error';
import { Logger } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import { BackgroundJob } from './job.entities';
import { FinalFailure, JobDriver, JobProcessor } from './job-driver';
import { EnqueueOptions, JOB_QUEUE, JobName, JobPayloads, QueueCounts, QueueHealth, QueueName, RetryPolicy } from './jobs';

const POLL_MS = 500;
const CONCURRENCY = 4;
// A job left "running" this long (its process died) is picked up again.
const STALE_RUNNING_MS = 5 * 60_000;

/**
 * The zero-setup driver: jobs live in the `background_jobs` table and run in this
 * process. Same processors, retries and backoff as BullMQ; nothing is lost on restart
 * because a pending job is just a row.
 */
export class DatabaseJobDriver implements JobDriver {
  readonly kind = 'in-process' as const;
  private readonly logger = new Logger('Jobs');
  private readonly jobs: Repository<BackgroundJob>;
  private processor: JobProcessor | null = null;
  private onFinalFailure: ((failure: FinalFailure) => Promise<void>) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly schedules: NodeJS.Timeout[] = [];
  private running = 0;
  private draining: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly retry: RetryPolicy,
  ) {
    this.jobs = dataSource.getRepository(BackgroundJob);
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options: EnqueueOptions): Promise<void> {
    await this.jobs
      .createQueryBuilder()
      .insert()
      .values({
        queue: JOB_QUEUE[name],
        name,
        key: options.key,
        payload,
        runAt: new Date(Date.now() + (options.delayMs ?? 0)),
      })
      .orIgnore()
      .execute();
    this.kick();
  }

  /**
   * A timer that queues the job once per interval slot: the slot number is the job's key, so
   * several processes sharing the database (or a restart within the slot) queue it once.
   */
  async schedule<N extends JobName>(name: N, payload: JobPayloads[N], everyMs: number): Promise<void> {
    const tick = (): Promise<void> =>
      this.enqueue(name, payload, { key: `scheduled:${Math.floor(Date.now() / everyMs)}` }).catch((error: unknown) =>
        this.logger.warn(`scheduling ${name} failed: ${safeErrorMessage(error)}`),
      );
    const timer = setInterval(() => void tick(), everyMs);
    timer.unref();
    this.schedules.push(timer);
    await tick();
  }

  async deleteFinishedBefore(cutoff: Date, limit: number): Promise<number> {
    const result = await this.jobs
      .createQueryBuilder()
      .delete()
      .where(`id IN (SELECT id FROM background_jobs WHERE status IN ('done', 'failed') AND finished_at < :cutoff LIMIT :limit)`, { cutoff, limit })
      .execute();
    return result.affected ?? 0;
  }

  async startProcessing(processor: JobProcessor, onFinalFailure: (failure: FinalFailure) => Promise<void>): Promise<void> {
    this.processor = processor;
    this.onFinalFailure = onFinalFailure;
    this.timer = setInterval(() => this.kick(), POLL_MS);
    this.timer.unref();
    this.kick();
  }

  /** Starts a drain pass unless one is under way. */
  private kick(): void {
    if (!this.processor || this.closed || this.draining) return;
    this.draining = this.drain()
      .catch((error: unknown) => this.logger.warn(`job polling failed: ${safeErrorMessage(error)}`))
      .finally(() => (this.draining = null));
  }

  private async drain(): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    while (!this.closed) {
      if (inFlight.size >= CONCURRENCY) {
        await Promise.race(inFlight);
        continue;
      }
      const job = await this.claim();
      if (!job) break;
      const run = this.run(job).finally(() => inFlight.delete(run));
      inFlight.add(run);
    }
    await Promise.all(inFlight);
  }

  /** Takes the next due job; SKIP LOCKED lets several processes share the table safely. */
  private async claim(): Promise<BackgroundJob | null> {
    const result = await this.dataSource.query<unknown[]>(
      `UPDATE background_jobs SET status = 'running', attempts = attempts + 1, run_at = now()
        WHERE id = (
          SELECT id FROM background_jobs
           WHERE (status = 'pending' AND run_at <= now())
              OR (status = 'running' AND run_at < now() - $1::interval)
           ORDER BY run_at LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING id, queue, name, key, payload, attempts`,
      [`${STALE_RUNNING_MS} milliseconds`],
    );
    // The postgres driver answers UPDATE … RETURNING with [rows, affectedCount].
    const rows = (Array.isArray(result[0]) ? result[0] : result) as BackgroundJob[];
    return rows[0] ?? null;
  }

  private async run(job: BackgroundJob): Promise<void> {
    this.running++;
    try {
      await this.processor!(job.name as JobName, job.payload as never, job.attempts);
      await this.jobs.update(job.id, { status: 'done', finishedAt: new Date(), lastError: null });
    } catch (error) {
      const message = safeErrorMessage(error);
      const final = job.attempts >= this.retry.attempts;
      this.logger.warn(`job ${job.name} ${job.id} attempt ${job.attempts} failed${final ? ' for good' : ''}: ${message}`);
      if (final) {
        await this.jobs.update(job.id, { status: 'failed', finishedAt: new Date(), lastError: message });
        await this.onFinalFailure!({ queue: job.queue, name: job.name, key: job.key, payload: job.payload, attempts: job.attempts, error: message });
      } else {
        const delay = this.retry.backoffMs * 2 ** (job.attempts - 1);
        await this.jobs.update(job.id, { status: 'pending', runAt: new Date(Date.now() + delay), lastError: message });
      }
    } finally {
      this.running--;
    }
  }

  async health(): Promise<QueueHealth> {
    try {
      const rows = await this.dataSource.query<Array<{ waiting: number; failed: number }>>(
        `SELECT count(*) FILTER (WHERE status = 'pending')::int AS waiting,
                count(*) FILTER (WHERE status = 'failed')::int AS failed FROM background_jobs`,
      );
      return { driver: this.kind, status: 'healthy', waiting: rows[0].waiting, failed: rows[0].failed };
    } catch {
      return { driver: this.kind, status: 'unhealthy' };
    }
  }

  /**
   * One statement over `background_jobs`: pending rows due now are waiting, pending rows due
   * later (a delay or a retry's backoff) delayed, running rows active, done rows completed,
   * failed rows failed. Queues without rows answer zeros.
   */
  async counts(): Promise<QueueCounts[]> {
    const rows = await this.dataSource.query<Array<Omit<QueueCounts, 'queue'> & { queue: string }>>(
      `SELECT queue,
              count(*) FILTER (WHERE status = 'pending' AND run_at <= now())::int AS waiting,
              count(*) FILTER (WHERE status = 'running')::int AS active,
              count(*) FILTER (WHERE status = 'pending' AND run_at > now())::int AS delayed,
              count(*) FILTER (WHERE status = 'done')::int AS completed,
              count(*) FILTER (WHERE status = 'failed')::int AS failed
         FROM background_jobs GROUP BY queue`,
    );
    const byQueue = new Map(rows.map((row) => [row.queue, row]));
    return Object.values(QueueName).map((queue) => {
      const row = byQueue.get(queue);
      return { queue, waiting: row?.waiting ?? 0, active: row?.active ?? 0, delayed: row?.delayed ?? 0, completed: row?.completed ?? 0, failed: row?.failed ?? 0 };
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    for (const timer of this.schedules) clearInterval(timer);
    await this.draining;
  }
}
