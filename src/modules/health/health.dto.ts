import { ApiProperty } from '@nestjs/swagger';

type Health = 'healthy' | 'unhealthy';

export class HealthDto {
  @ApiProperty({ enum: ['healthy'], example: 'healthy' })
  status!: 'healthy';

  @ApiProperty({ format: 'date-time' })
  timestamp!: string;

  @ApiProperty({ example: '0.1.0' })
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

  @ApiProperty({ format: 'date-time' })
  timestamp!: string;
}

export class RouteStatsDto {
  @ApiProperty({ example: 245.67 })
  average_duration_ms!: number;

  @ApiProperty({ example: 150 })
  request_count!: number;

  @ApiProperty({ format: 'date-time' })
  last_request!: string;
}

export class MetricsDto {
  @ApiProperty({
    description: 'Keyed by `METHOD /route/pattern`.',
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/RouteStatsDto' },
  })
  metrics!: Record<string, RouteStatsDto>;

  @ApiProperty({ format: 'date-time' })
  timestamp!: string;
}
