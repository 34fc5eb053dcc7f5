import { ApiProperty } from '@nestjs/swagger';
import { ApiDateTimeProperty } from 'src/common/http/api-responses';

type Health = 'healthy' | 'unhealthy';

export class HealthDto {
  @ApiProperty({ enum: ['healthy'], example: 'healthy' })
  status!: 'healthy';

  @ApiDateTimeProperty()
  timestamp!: string;

  // package.json's version: semver, short.
  @ApiProperty({ example: '0.1.0', maxLength: 64 })
  version!: string;
}

export class QueueStatusDto {
  @ApiProperty({ enum: ['bullmq', 'in-process'] })
  driver!: 'bullmq' | 'in-process';

  @ApiProperty({ enum: ['healthy', 'unhealthy'] })
  status!: Health;

  @ApiProperty({ required: false, description: 'Jobs waiting or delayed.' })
  waiting?: number;

  @ApiProperty({ required: false, description: 'Jobs that failed for good.' })
  failed?: number;
}

export class StatusDto {
  @ApiProperty({ enum: ['healthy', 'degraded', 'unhealthy'], description: 'unhealthy (503) when the database is down; degraded when another part is.' })
  status!: 'healthy' | 'degraded' | 'unhealthy';

  @ApiProperty({ enum: ['healthy', 'unhealthy'] })
  database!: Health;

  @ApiProperty({ enum: ['healthy', 'unhealthy', 'not configured'] })
  cache!: Health | 'not configured';

  @ApiProperty({ type: QueueStatusDto })
  queue!: QueueStatusDto;

  @ApiDateTimeProperty()
  timestamp!: string;
}

export class RouteStatsDto {
  @ApiProperty({ example: 245.67 })
  average_duration_ms!: number;

  @ApiProperty({ example: 150 })
  request_count!: number;

  @ApiDateTimeProperty()
  last_request!: string;
}

export class MetricsDto {
  @ApiProperty({
    description: 'Keyed by `METHOD /route/pattern`.',
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/RouteStatsDto' },
  })
  metrics!: Record<string, RouteStatsDto>;

  @ApiDateTimeProperty()
  timestamp!: string;
}
