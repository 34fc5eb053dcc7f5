import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { Authenticated, Public } from 'src/common/access/access.decorators';
import { Permission } from 'src/common/access/permissions';
import { AppException } from 'src/common/errors/app.exception';
import { ApiError } from 'src/common/http/api-responses';
import { METRICS_SCHEME } from 'src/common/http/openapi';
import { RawResponse } from 'src/common/http/raw-response.decorator';
import { AppConfig } from 'src/config/app-config';
import { RequestMetricsService } from 'src/infrastructure/metrics/request-metrics.service';
import { RateTier } from 'src/infrastructure/rate-limit/rate-tier.decorator';
import { HealthDto, MetricsDto, RouteStatsDto, StatusDto } from './health.dto';
import { HealthService } from './health.service';

/** Monitoring endpoints, at the root (not under /api/v1) and in the SafeTalk shapes, without the envelope. */
@ApiTags('health')
@ApiExtraModels(RouteStatsDto)
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthService,
    private readonly metrics: RequestMetricsService,
    private readonly config: AppConfig,
  ) {}

  @RawResponse()
  @Get('health')
  @Public()
  @RateTier('exempt')
  @ApiOperation({ summary: 'Liveness: the process is up.' })
  @ApiOkResponse({ type: HealthDto })
  getHealth(): HealthDto {
    return this.health.health();
  }

  @RawResponse()
  @Get('status')
  @Public()
  @RateTier('exempt')
  @ApiOperation({ summary: 'Readiness: database, cache (Redis) and queue health. 503 when the database is down.' })
  @ApiOkResponse({ type: StatusDto })
  @ApiResponse({ status: 503, description: 'The database is unreachable.', type: StatusDto })
  async getStatus(@Res({ passthrough: true }) reply: FastifyReply): Promise<StatusDto> {
    const status = await this.health.status();
    if (status.database === 'unhealthy') void reply.status(503);
    return status;
  }

  @RawResponse()
  @Get('metrics')
  @Authenticated(Permission.MetricsRead)
  @ApiOperation({ summary: 'Per-route request timings of this API node, all its processes (staff only).' })
  @ApiOkResponse({ type: MetricsDto })
  @ApiError('COMMON.RATE_LIMITED')
  getMetrics(): Promise<MetricsDto> {
    return this.health.metricsSummary();
  }

  @RawResponse()
  @Get('metrics/prometheus')
  @Public()
  @RateTier('exempt')
  @ApiOperation({
    summary: 'Prometheus exposition for scrapers.',
    description: 'Needs `Authorization: Bearer <METRICS_TOKEN>`; answers 404 when METRICS_TOKEN is not configured.',
  })
  @ApiSecurity(METRICS_SCHEME)
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text format.', schema: { type: 'string' } })
  @ApiError('METRICS.BAD_TOKEN', 'METRICS.DISABLED')
  async getPrometheus(@Headers('authorization') authorization: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const expected = this.config.metrics.prometheusToken;
    if (!expected) throw new AppException('METRICS.DISABLED', 'Prometheus metrics are disabled; set METRICS_TOKEN to enable them.');
    const given = Buffer.from(authorization?.replace(/^Bearer\s+/i, '') ?? '');
    const wanted = Buffer.from(expected);
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
      throw new AppException('METRICS.BAD_TOKEN', 'Missing or wrong metrics token.');
    }
    const { prometheus, contentType } = await this.metrics.combined();
    void reply.header('content-type', contentType);
    return prometheus;
  }
}
