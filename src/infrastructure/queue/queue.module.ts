import { DynamicModule, Global, Module } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { getRepositoryToken, TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from 'src/config/app-config';
import { DataSource, Repository } from 'typeorm';
import { BullMqDriver } from './bullmq.driver';
import { DatabaseJobDriver } from './database.driver';
import { JobDriver } from './job-driver';
import { BackgroundJob, JobFailure, JobProbeRun } from './job.entities';
import { MaintenanceJobs } from './maintenance.jobs';
import { JOB_DRIVER, QueueService } from './queue.service';

/**
 * Jobs: BullMQ when REDIS_URL is set, the database-backed in-process driver otherwise.
 * `runsJobs` says whether this process runs processors (the worker always does; the
 * API does unless JOBS_RUN_IN_API=false).
 */
@Global()
@Module({})
export class QueueModule {
  static forRoot(options: { runsJobs: boolean }): DynamicModule {
    return {
      module: QueueModule,
      imports: [DiscoveryModule, TypeOrmModule.forFeature([BackgroundJob, JobFailure, JobProbeRun])],
      providers: [
        MaintenanceJobs,
        {
          provide: JOB_DRIVER,
          inject: [AppConfig, DataSource],
          useFactory: (config: AppConfig, dataSource: DataSource): JobDriver =>
            config.redis
              ? new BullMqDriver(
                  config.redis.url,
                  config.redis.prefix,
                  config.jobs.retry,
                  config.retention.days.jobRecords === null ? null : config.retention.days.jobRecords * 86_400,
                )
              : new DatabaseJobDriver(dataSource, config.jobs.retry),
        },
        {
          provide: QueueService,
          inject: [JOB_DRIVER, DiscoveryService, MetadataScanner, Reflector, getRepositoryToken(JobFailure)],
          useFactory: (
            driver: JobDriver,
            discovery: DiscoveryService,
            scanner: MetadataScanner,
            reflector: Reflector,
            failures: Repository<JobFailure>,
          ) => new QueueService(driver, options.runsJobs, discovery, scanner, reflector, failures),
        },
      ],
      exports: [QueueService],
    };
  }
}
