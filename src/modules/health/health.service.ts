import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppConfig } from 'src/config/app-config';
import { RequestMetricsService } from 'src/infrastructure/metrics/request-metrics.service';
import { QueueService } from 'src/infrastructure/queue/queue.service';
import { RedisConnection } from 'src/infrastructure/redis/redis.module';
import { DataSource } from 'typeorm';
import { HealthDto, MetricsDto, StatusDto } from './health.dto';

const DATABASE_CHECK_TIMEOUT_MS = 2_000;

@Injectable()
export class HealthService {
  constructor(
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly redis: RedisConnection,
    private readonly queue: QueueService,
    private readonly metrics: RequestMetricsService,
  ) {}

  health(): HealthDto {
    return { status: 'healthy', timestamp: new Date().toISOString(), version: this.config.version };
  }

  async status(): Promise<StatusDto> {
    const [database, cache, queue] = await Promise.all([this.databaseHealth(), this.redis.health(), this.queue.health()]);
    const degraded = cache === 'unhealthy' || queue.status === 'unhealthy';
    return {
      status: database === 'unhealthy' ? 'unhealthy' : degraded ? 'degraded' : 'healthy',
      database,
      cache,
      queue,
      timestamp: new Date().toISOString(),
    };
  }

  async metricsSummary(): Promise<MetricsDto> {
    return { metrics: await this.metrics.summary(), timestamp: new Date().toISOString() };
  }

  private async databaseHealth(): Promise<'healthy' | 'unhealthy'> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.dataSource.query('SELECT 1'),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), DATABASE_CHECK_TIMEOUT_MS);
        }),
      ]);
      return 'healthy';
    } catch {
      return 'unhealthy';
    } finally {
      clearTimeout(timer);
    }
  }
}
