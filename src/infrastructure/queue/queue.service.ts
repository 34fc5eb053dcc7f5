import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { JOB_HANDLER } from './job-handler.decorator';
import { FinalFailure, JobDriver } from './job-driver';
import { JobFailure } from './job.entities';
import { Paginated } from 'src/common/http/envelope';
import { ListOrdering, paginate } from 'src/common/pagination/paginate';
import { JobFailuresQueryDto } from './job-failures.dto';
import { EnqueueOptions, JOB_QUEUE, JobName, JobPayloads, QueueCounts, QueueHealth } from './jobs';

/** Sorting of the failed-job list. */
export const JOB_FAILURES_ORDERING = {
  orderable: { failed_at: 'f.failedAt', name: 'f.name' },
  defaultOrdering: '-failed_at',
} satisfies ListOrdering;

export const JOB_DRIVER = Symbol('JOB_DRIVER');
export const RUNS_JOBS = Symbol('RUNS_JOBS');

type Handler = (payload: unknown, attempt: number) => Promise<void>;

/**
 * The typed queue: features call `enqueue`, processors are methods marked
 * `@JobHandler(name)`. Boot fails when a job name has no handler, so a job can never
 * be queued that nothing would run.
 */
@Injectable()
export class QueueService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly handlers = new Map<string, Handler>();

  constructor(
    private readonly driver: JobDriver,
    /** Whether this process runs job handlers (API with JOBS_RUN_IN_API, or a worker). */
    readonly runsJobs: boolean,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    @InjectRepository(JobFailure) private readonly failureRecords: Repository<JobFailure>,
  ) {}

  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options: EnqueueOptions): Promise<void> {
    await this.driver.enqueue(name, payload, options);
  }

  /** Runs a job every `everyMs`, once per interval across all processes (see JobDriver.schedule). */
  async schedule<N extends JobName>(name: N, payload: JobPayloads[N], everyMs: number): Promise<void> {
    await this.driver.schedule(name, payload, everyMs);
  }

  /**
   * Retention: deletes up to `limit` job records that finished before `cutoff` — the driver's
   * done and failed jobs, the failure records staff list, and probe runs. Returns how many.
   */
  async deleteFinishedBefore(cutoff: Date, limit: number): Promise<number> {
    let deleted = await this.driver.deleteFinishedBefore(cutoff, limit);
    for (const [table, column] of [
      ['job_failures', 'failed_at'],
      ['job_probe_runs', 'ran_at'],
    ] as const) {
      if (deleted >= limit) break;
      const result = await this.failureRecords.manager
        .createQueryBuilder()
        .delete()
        .from(table)
        .where(`id IN (SELECT id FROM ${table} WHERE ${column} < :cutoff LIMIT :limit)`, { cutoff, limit: limit - deleted })
        .execute();
      deleted += result.affected ?? 0;
    }
    return deleted;
  }

  health(): Promise<QueueHealth> {
    return this.driver.health();
  }

  /** Every queue's jobs by state (waiting, active, delayed, completed, failed), from the driver that holds them. */
  counts(): Promise<QueueCounts[]> {
    return this.driver.counts();
  }

  /**
   * Jobs that failed for good (the records behind `/admin/jobs/failures`, both drivers): all
   * of them, and those of the last 24 hours before `now`. One statement over `job_failures`
   * (a table of final failures only, so small; the 24-hour count reads ix_job_failures_failed_at).
   */
  async failureCounts(now: Date = new Date()): Promise<{ total: number; last24h: number }> {
    const [row] = await this.failureRecords.query<Array<{ total: number; last_24h: number }>>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE failed_at > $1::timestamptz - interval '24 hours')::int AS last_24h FROM job_failures`,
      [now],
    );
    return { total: row.total, last24h: row.last_24h };
  }

  get driverKind(): QueueHealth['driver'] {
    return this.driver.kind;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.discoverHandlers();
    if (!this.runsJobs) return;
    await this.driver.startProcessing(
      async (name, payload, attempt) => this.handlers.get(name)!(payload, attempt),
      (failure) => this.recordFailure(failure),
    );
    this.logger.log(`processing jobs with the ${this.driver.kind} driver`);
  }

  /**
   * Jobs in flight finish (and record their outcome) before anything closes: the database
   * goes in onApplicationShutdown, after every beforeApplicationShutdown hook has run.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.driver.close();
  }

  private discoverHandlers(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || wrapper.isNotMetatype) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const name = this.reflector.get<JobName | undefined>(JOB_HANDLER, instance[method] as () => unknown);
        if (!name) continue;
        if (this.handlers.has(name)) throw new Error(`Two handlers for job "${name}"`);
        this.handlers.set(name, (instance[method] as Handler).bind(instance));
      }
    }
    const missing = (Object.keys(JOB_QUEUE) as JobName[]).filter((name) => !this.handlers.has(name));
    if (missing.length > 0) throw new Error(`No @JobHandler for job(s): ${missing.join(', ')}`);
  }

  /** Jobs that failed for good, newest first (for staff). */
  async listFailures(query: JobFailuresQueryDto): Promise<Paginated<JobFailure>> {
    const builder = this.failureRecords.createQueryBuilder('f');
    if (query.queue) builder.andWhere('f.queue = :queue', { queue: query.queue });
    if (query.name) builder.andWhere('f.name = :name', { name: query.name });
    return paginate(builder, query, {
      ...JOB_FAILURES_ORDERING,
      searchable: ['f.error', 'f.key'],
      dateColumn: 'f.failedAt',
      tieBreaker: 'f.id',
    });
  }

  private async recordFailure(failure: FinalFailure): Promise<void> {
    await this.failureRecords.insert({ ...failure, driver: this.driver.kind });
  }
}
