import { ApiProperty } from '@nestjs/swagger';
import { AppConfig } from 'src/config/app-config';
import { ApiDateTimeProperty, ApiUuidProperty } from 'src/common/http/api-responses';
import { RetentionRun } from './entities/retention-run.entity';

const MAX_DAYS = 3650;
const INT32_MAX = 2_147_483_647;
/** A period in days (null: kept for ever). */
const DAYS = { type: 'integer', format: 'int32', nullable: true, minimum: 1, maximum: MAX_DAYS } as const;
/** Rows deleted (null: the kind is kept for ever). */
const COUNT = { type: 'integer', format: 'int32', nullable: true, minimum: 0, maximum: INT32_MAX } as const;

/** Days each kind is kept; null: kept for ever (its variable is 0). */
export class RetentionPeriodsDto {
  @ApiProperty({ ...DAYS, description: 'Companion conversations, counted from their last message (RETENTION_COMPANION_DAYS).' })
  companion_days!: number | null;

  @ApiProperty({ ...DAYS, description: 'Notifications, read or not (RETENTION_NOTIFICATIONS_DAYS).' })
  notifications_days!: number | null;

  @ApiProperty({ ...DAYS, description: 'Ended sign-in sessions and API tokens (RETENTION_SESSIONS_DAYS).' })
  sessions_days!: number | null;

  @ApiProperty({ ...DAYS, description: 'Sent and failed emails; pending ones are never deleted (RETENTION_MAIL_DAYS).' })
  mail_days!: number | null;

  @ApiProperty({ ...DAYS, description: 'Finished jobs, job failure records and retention runs (RETENTION_JOB_RECORDS_DAYS).' })
  job_records_days!: number | null;
}

/** Rows deleted per kind; null: the kind is kept for ever. */
export class RetentionCountsDto {
  @ApiProperty(COUNT)
  companion_conversations!: number | null;

  @ApiProperty(COUNT)
  notifications!: number | null;

  @ApiProperty(COUNT)
  auth_sessions!: number | null;

  @ApiProperty(COUNT)
  api_tokens!: number | null;

  @ApiProperty(COUNT)
  mail_messages!: number | null;

  @ApiProperty(COUNT)
  job_records!: number | null;
}

export class RetentionRunDto {
  @ApiUuidProperty()
  id!: string;

  @ApiProperty({ enum: ['schedule', 'staff'] })
  trigger!: string;

  @ApiDateTimeProperty()
  started_at!: string;

  @ApiDateTimeProperty()
  finished_at!: string;

  @ApiProperty({ type: RetentionCountsDto })
  deleted!: RetentionCountsDto;
}

export class RetentionStatusDto {
  @ApiProperty({ type: RetentionPeriodsDto })
  periods!: RetentionPeriodsDto;

  @ApiProperty({ type: 'integer', format: 'int32', minimum: 1, maximum: 7 * 86_400, description: 'Seconds between scheduled runs (RETENTION_INTERVAL_SECONDS).' })
  interval_seconds!: number;

  @ApiProperty({ type: 'integer', format: 'int32', minimum: 1, maximum: 100_000, description: 'Rows one delete statement removes at most (RETENTION_BATCH_SIZE).' })
  batch_size!: number;

  @ApiProperty({ type: RetentionRunDto, nullable: true, description: 'The latest run (scheduled or by an admin); null before the first.' })
  last_run!: RetentionRunDto | null;
}

export const toRetentionRunDto = (run: RetentionRun): RetentionRunDto => ({
  id: run.id,
  trigger: run.trigger,
  started_at: run.startedAt.toISOString(),
  finished_at: run.finishedAt.toISOString(),
  deleted: run.deleted,
});

export const toRetentionStatusDto = (config: AppConfig, lastRun: RetentionRun | null): RetentionStatusDto => ({
  periods: {
    companion_days: config.retention.days.companion,
    notifications_days: config.retention.days.notifications,
    sessions_days: config.retention.days.sessions,
    mail_days: config.retention.days.mail,
    job_records_days: config.retention.days.jobRecords,
  },
  interval_seconds: config.retention.intervalMs / 1000,
  batch_size: config.retention.batchSize,
  last_run: lastRun ? toRetentionRunDto(lastRun) : null,
});
