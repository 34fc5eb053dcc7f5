import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsString, MaxLength } from 'class-validator';
import { ApiDateTimeProperty, ApiUuidProperty } from 'src/common/http/api-responses';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { JobFailure } from './job.entities';
import { QueueName } from './jobs';
import { Optional } from 'src/common/validation/presence';

/** The job_failures columns. */
const JOB_NAME_MAX_LENGTH = 64;
const JOB_KEY_MAX_LENGTH = 200;
/** Errors are stored whole (a text column); the list shows their start, enough to tell them apart. */
const JOB_ERROR_MAX_LENGTH = 2000;

export class JobFailuresQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: QueueName })
  @Optional()
  @IsEnum(QueueName)
  queue?: QueueName;

  @ApiPropertyOptional({ example: 'email.send', maxLength: JOB_NAME_MAX_LENGTH })
  @Optional()
  @IsString()
  @MaxLength(JOB_NAME_MAX_LENGTH)
  name?: string;
}

export class JobFailureDto {
  @ApiUuidProperty()
  id!: string;

  @ApiProperty({ enum: ['bullmq', 'in-process'] })
  driver!: string;

  @ApiProperty({ enum: QueueName })
  queue!: string;

  @ApiProperty({ example: 'email.send', maxLength: JOB_NAME_MAX_LENGTH })
  name!: string;

  @ApiProperty({ maxLength: JOB_KEY_MAX_LENGTH, description: 'The idempotency key the job was queued with.' })
  key!: string;

  @ApiProperty({ description: 'Ids only: payloads never carry message text or personal data.', type: 'object', additionalProperties: true })
  payload!: object;

  @ApiProperty()
  attempts!: number;

  @ApiProperty({ maxLength: JOB_ERROR_MAX_LENGTH, description: 'The last attempt’s error message (its first 2,000 characters).' })
  error!: string;

  @ApiDateTimeProperty()
  failed_at!: string;
}

export const toJobFailureDto = (f: JobFailure): JobFailureDto => ({
  id: f.id,
  driver: f.driver,
  queue: f.queue,
  name: f.name,
  key: f.key,
  payload: f.payload,
  attempts: f.attempts,
  error: f.error.length > JOB_ERROR_MAX_LENGTH ? `${f.error.slice(0, JOB_ERROR_MAX_LENGTH - 1)}…` : f.error,
  failed_at: f.failedAt.toISOString(),
});
