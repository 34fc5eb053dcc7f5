import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsString, MaxLength } from 'class-validator';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { JobFailure } from './job.entities';
import { QueueName } from './jobs';
import { Optional } from 'src/common/validation/presence';

export class JobFailuresQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: QueueName })
  @Optional()
  @IsEnum(QueueName)
  queue?: QueueName;

  @ApiPropertyOptional({ example: 'email.send' })
  @Optional()
  @IsString()
  @MaxLength(64)
  name?: string;
}

export class JobFailureDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: ['bullmq', 'in-process'] })
  driver!: string;

  @ApiProperty({ enum: QueueName })
  queue!: string;

  @ApiProperty({ example: 'email.send' })
  name!: string;

  @ApiProperty({ description: 'The idempotency key the job was queued with.' })
  key!: string;

  @ApiProperty({ description: 'Ids only: payloads never carry message text or personal data.', type: 'object', additionalProperties: true })
  payload!: object;

  @ApiProperty()
  attempts!: number;

  @ApiProperty({ description: 'The last attempt’s error message.' })
  error!: string;

  @ApiProperty({ format: 'date-time' })
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
  error: f.error,
  failed_at: f.failedAt.toISOString(),
});
