import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from 'src/common/access/access.decorators';
import { Permission } from 'src/common/access/permissions';
import { ApiEnvelope } from 'src/common/http/api-responses';
import { DashboardDto, DashboardQueryDto, QueuesDto, RevenueDto } from './dashboard.dto';
import { DashboardService } from './dashboard.service';

@ApiTags('admin')
@Controller('admin')
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get('dashboard')
  @Authenticated(Permission.DashboardRead)
  @ApiOperation({
    summary: 'The operations dashboard: counts an operator watches (managers and admins).',
    description:
      'Accounts by role and status, the provider verification queue, sign-ups per UTC day (`days`, default 14, at most 90), ' +
      'active chats (a message in the last 7 days), this ISO week’s sessions (UTC) by status, open alarms and undelivered alarm emails, ' +
      'unresolved risk flags by severity and age, and failed jobs. Aggregates only; each figure is one indexed statement, so it can be refreshed every few seconds.',
  })
  @ApiEnvelope(DashboardDto)
  get(@Query() query: DashboardQueryDto): Promise<DashboardDto> {
    return this.dashboard.dashboard(query.days);
  }

  @Get('dashboard/revenue')
  @Authenticated(Permission.RevenueRead)
  @ApiOperation({
    summary: 'Revenue this calendar month (UTC) by plan and currency (admins only).',
    description: 'Succeeded payments created this month, net of refunds (a refunded payment no longer counts), as decimal amounts per currency.',
  })
  @ApiEnvelope(RevenueDto)
  revenue(): Promise<RevenueDto> {
    return this.dashboard.revenue();
  }

  @Get('queues')
  @Authenticated(Permission.MetricsRead)
  @ApiOperation({
    summary: 'Jobs per queue and state: waiting, active, delayed, completed, failed (managers and admins).',
    description: 'From BullMQ with Redis, from the in-process driver’s table without. Failed jobs are listed at `/api/v1/admin/jobs/failures`.',
  })
  @ApiEnvelope(QueuesDto)
  queues(): Promise<QueuesDto> {
    return this.dashboard.queues();
  }
}
